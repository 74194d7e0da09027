import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { createCredential, revokePartnerCredential } from "../partners/credentials";
import { forgetListedOrigins } from "../partners/listed-origins";
import { credentialCache, profileCache, TIER_RATE_LIMITS } from "../partners/profile";
import { type ContractRow, findPartnerWithContract, type PartnerRow } from "../partners/storage";
import type { Granularity, LogProduct } from "../usage/model";
import { usageReport, usageSpan } from "../usage/usage-report";
import {
  credentialsOf,
  movePartnerStatus,
  offboardRows,
  type PartnerFilter,
  partnerRows,
  pendingChangeCount,
  usageOf,
} from "./storage";

export const contractView = (c: ContractRow) => ({
  products: c.products,
  scopes: c.scopes,
  tier: c.tier,
  rate_limit_per_second: c.rateLimitPerSecond,
  effective_rate_limit_per_second: c.rateLimitPerSecond ?? TIER_RATE_LIMITS[c.tier],
  daily_quota: c.dailyQuota,
  fees: { bps: c.feeBps, fixed_minor: c.feeFixedMinor, dispute_minor: c.disputeFeeMinor },
  data_access: c.dataAccess,
  cors_origins: c.corsOrigins,
  ip_allowlist: c.ipAllowlist,
  webhook_domains: c.webhookDomains,
  api_version: c.apiVersion,
  security_profile: c.securityProfile,
  password_grant: c.securityProfile === "standard" && c.passwordGrant,
  updated_at: c.updatedAt,
});
export type ContractView = ReturnType<typeof contractView>;

const partnerSummary = (p: PartnerRow, c: ContractRow) => ({
  id: p.id,
  object: "admin_partner" as const,
  name: p.name,
  environment: p.environment,
  status: p.status,
  tier: c.tier,
  products: c.products,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});

/**
 * Forgets what this isolate cached about a partner (profile, its consumer keys, the listed CORS
 * origins), so a change bites here at once; other isolates within the profile cache TTL.
 */
export async function forgetPartner(db: Db, partnerId: string) {
  profileCache.invalidate(partnerId);
  for (const c of await credentialsOf(db, partnerId)) credentialCache.invalidate(c.consumerKey);
  forgetListedOrigins();
}

export async function listPartners(db: Db, filter: PartnerFilter) {
  const rows = await partnerRows(db, filter);
  return {
    data: rows.slice(0, filter.limit).map((r) => partnerSummary(r.partner, r.contract)),
    has_more: rows.length > filter.limit,
  };
}

export async function requirePartner(db: Db, partnerId: string) {
  const found = await findPartnerWithContract(db, partnerId);
  if (!found) throw new ApiError("not_found", { resource: `partner ${partnerId}` });
  return found;
}

/** A partner with its contract, credentials' metadata (never a hash) and what it has done so far. */
export async function partnerDetail(db: Db, partnerId: string) {
  const { partner, contract } = await requirePartner(db, partnerId);
  const now = new Date();
  const day = `${now.toISOString().slice(0, 10)}T00:00:00.000Z`;
  const month = new Date(now.getTime() - 30 * 86_400_000).toISOString();
  const [credentials, usage, pending] = await Promise.all([
    credentialsOf(db, partnerId),
    usageOf(db, partnerId, day, month),
    pendingChangeCount(db, partnerId, now.toISOString()),
  ]);
  return {
    ...partnerSummary(partner, contract),
    contract: contractView(contract),
    credentials: credentials.map((c) => ({
      id: c.id,
      consumer_key: c.consumerKey,
      description: c.description,
      status: c.status,
      created_at: c.createdAt,
      revoked_at: c.revokedAt,
    })),
    usage: {
      audited_requests_today: usage.today,
      audited_requests_last_30_days: usage.last30Days,
      last_audited_request_at: usage.lastAt,
      webhook_endpoints: {
        enabled: usage.endpoints.enabled ?? 0,
        disabled: usage.endpoints.disabled ?? 0,
      },
    },
    pending_change_requests: pending,
  };
}
export type PartnerDetail = Awaited<ReturnType<typeof partnerDetail>>;

/** Days the platform team's usage report covers unless told: the last 30. */
export const ADMIN_USAGE_DAYS = 30;

/**
 * The partner's usage as it reads it itself (GET /v1/usage, docs/usage.md), per day and product,
 * per day and in total, over the last 30 days unless told; its contract holds its limits.
 */
export async function partnerUsage(
  db: Db,
  partnerId: string,
  q: {
    from?: string | undefined;
    to?: string | undefined;
    granularity?: Granularity | undefined;
    product?: LogProduct | undefined;
  },
  now = Date.now(),
) {
  const { contract } = await requirePartner(db, partnerId);
  const span = usageSpan(q, now, ADMIN_USAGE_DAYS);
  const granularity = q.granularity ?? "day";
  const { data, days, totals } = await usageReport(
    db,
    {
      id: partnerId,
      tier: contract.tier,
      limits: {
        requestsPerSecond: contract.rateLimitPerSecond ?? TIER_RATE_LIMITS[contract.tier],
        dailyQuota: contract.dailyQuota,
      },
    },
    span,
    now,
    { granularity, product: q.product },
  );
  return {
    object: "partner_usage" as const,
    partner_id: partnerId,
    ...span,
    granularity,
    product: q.product ?? null,
    data,
    days,
    totals,
  };
}

const statusOnly = (p: PartnerRow) => ({ id: p.id, status: p.status });

/** Suspends an active partner at once (a narrowing: one operator suffices). */
export async function suspendPartner(db: Db, partnerId: string) {
  const { partner } = await requirePartner(db, partnerId);
  const moved = await movePartnerStatus(db, partnerId, ["active"], "suspended");
  if (!moved)
    throw new ApiError("invalid_state_transition", {
      operation: "suspend",
      object: "partner",
      status: partner.status,
    });
  await forgetPartner(db, partnerId);
  return { before: statusOnly(partner), after: statusOnly(moved) };
}

/** Offboards: every credential revoked, every webhook endpoint disabled, the data kept. */
export async function offboardPartner(db: Db, partnerId: string) {
  const { partner } = await requirePartner(db, partnerId);
  const done = await offboardRows(db, partnerId);
  if (!done?.partner)
    throw new ApiError("invalid_state_transition", {
      operation: "offboard",
      object: "partner",
      status: partner.status,
    });
  await forgetPartner(db, partnerId);
  return {
    before: statusOnly(partner),
    after: {
      ...statusOnly(done.partner),
      revoked_credentials: done.revoked.map((c) => c.id),
      disabled_webhook_endpoints: done.disabled.map((e) => e.id),
    },
  };
}

/** A new consumer key for the partner; the secret is in this answer only, never in the audit log. */
export async function issueCredential(db: Db, config: Config, partnerId: string, description: string | null) {
  const { partner } = await requirePartner(db, partnerId);
  if (partner.status === "offboarded")
    throw new ApiError("invalid_state_transition", {
      operation: "issue a credential for",
      object: "partner",
      status: partner.status,
    });
  if (partner.environment !== config.ENVIRONMENT)
    throw new ApiError("invalid_state_transition", {
      operation: "issue a credential here for",
      object: "partner",
      status: partner.environment,
    });
  const created = await createCredential(db, config, partnerId, description);
  profileCache.invalidate(partnerId);
  return created;
}

export async function revokeCredential(db: Db, partnerId: string, credentialId: string) {
  await requirePartner(db, partnerId);
  return revokePartnerCredential(db, partnerId, credentialId);
}
