import type { SQL } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import { type PlanChange, planWritesWhen, staleVersion } from "../billing/plan-changes";
import { type BillingAccountRow, findBillingAccount, planVersions } from "../billing/storage";
import { hasClientKeys } from "../oauth/client-registration";
import { findClientRegistration } from "../oauth/storage";
import { approvalWhen, findApplication } from "../onboarding/application-storage";
import { provisionLivePartner } from "../onboarding/live-partner";
import { type ContractPatch, changedMembers, currentMembers, nextContract, sensitiveParts } from "./contract";
import { type Actor, type ChangeKind, type ChangeStatus, roleAtLeast } from "./model";
import { contractView, forgetPartner, requirePartner } from "./partners";
import {
  type ChangeRequestRow,
  type ContractUpdate,
  changeRequestRows,
  contractWriteWhen,
  decidable,
  decideChangeRequest,
  expireChangeRequest,
  findChangeRequest,
  insertChangeRequest,
  reactivationWhen,
  updateContract,
} from "./storage";

type BatchItem = Parameters<Db["batch"]>[0][number];

export interface ApprovalDeps {
  db: Db;
  config: Config;
}

// Stored members → the API's names, for change requests and diffs.
const API_NAMES: Record<string, string> = {
  rateLimitPerSecond: "rate_limit_per_second",
  dailyQuota: "daily_quota",
  dataAccess: "data_access",
  feeBps: "fee_bps",
  feeFixedMinor: "fee_fixed_minor",
  disputeFeeMinor: "dispute_fee_minor",
  corsOrigins: "cors_origins",
  ipAllowlist: "ip_allowlist",
  webhookDomains: "webhook_domains",
  apiVersion: "api_version",
  securityProfile: "security_profile",
  passwordGrant: "password_grant",
};
export const apiMembers = (members: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(members).map(([k, v]) => [API_NAMES[k] ?? k, v]));

/**
 * How each kind of change request applies once approved: one D1 statement gated on the request
 * still being decidable, and what follows it. A new kind adds its entry here and its proposing route.
 */
const KINDS: Record<
  ChangeKind,
  {
    /** What `apply` needs read first (a plan's billing account), outside the batch. */
    prepare?(db: Db, row: ChangeRequestRow): Promise<unknown>;
    /** One write, or several whose last is the one `changes()` judges. Never awaited: a query is a thenable. */
    apply(db: Db, row: ChangeRequestRow, gate: SQL, at: string, prepared: unknown): BatchItem | BatchItem[];
    /** Why the change could not apply (the partner moved on since the proposal). */
    refusal(db: Db, row: ChangeRequestRow): Promise<ApiError>;
    /** What follows the committed approval (and is recovered by the cron if the Worker dies first). */
    after?(deps: ApprovalDeps, row: ChangeRequestRow): Promise<unknown>;
  }
> = {
  contract_change: {
    apply: (db, row, gate, at) =>
      contractWriteWhen(db, row.partnerId, row.change as ContractUpdate, gate, at),
    refusal: async (db, row) => {
      const { partner } = await requirePartner(db, row.partnerId);
      return new ApiError("invalid_state_transition", {
        operation: "change the contract of",
        object: "partner",
        status: partner.status,
      });
    },
  },
  // The production application's approval: it applies to the revision the maker reviewed only;
  // the live partner is written right after (src/modules/onboarding/live-partner.ts).
  production_access: {
    apply: (db, row, gate, at) => {
      const change = row.change as { application_id: string; revision: number };
      return approvalWhen(db, change.application_id, change.revision, gate, at);
    },
    refusal: async (db, row) => {
      const app = await findApplication(db, (row.change as { application_id: string }).application_id);
      return new ApiError("invalid_state_transition", {
        operation: "approve",
        object: "application",
        status:
          app?.status === "submitted"
            ? "changed since the approval was proposed"
            : (app?.status ?? "unknown"),
      });
    },
    after: (deps, row) =>
      provisionLivePartner(deps.db, deps.config, (row.change as { application_id: string }).application_id),
  },
  // A plan version (src/modules/billing/plan-changes.ts): the account with the first plan, then the
  // version, only while it is still the next one and the partner active.
  rate_plan: {
    prepare: (db, row) => findBillingAccount(db, row.partnerId),
    apply: (db, row, gate, at, account) =>
      planWritesWhen(
        db,
        row.partnerId,
        row.id,
        row.change as unknown as PlanChange,
        account as BillingAccountRow | undefined,
        gate,
        at,
      ),
    refusal: async (db, row) => {
      const { partner } = await requirePartner(db, row.partnerId);
      if (partner.status !== "active")
        return new ApiError("invalid_state_transition", {
          operation: "change the plan of",
          object: "partner",
          status: partner.status,
        });
      const versions = await planVersions(db, row.partnerId);
      const sent = (row.change as unknown as PlanChange).plan.version;
      return staleVersion(sent, (versions[versions.length - 1]?.version ?? 0) + 1);
    },
  },
  reactivation: {
    apply: (db, row, gate, at) => reactivationWhen(db, row.partnerId, gate, at),
    refusal: async (db, row) => {
      const { partner } = await requirePartner(db, row.partnerId);
      return new ApiError("invalid_state_transition", {
        operation: "reactivate",
        object: "partner",
        status: partner.status,
      });
    },
  },
};

/** A request as it stands now: pending past its expiry reads as expired. */
const statusNow = (row: ChangeRequestRow, at: string): ChangeStatus =>
  row.status === "pending" && row.expiresAt <= at ? "expired" : row.status;

export const changeRequestView = (row: ChangeRequestRow, at = new Date().toISOString()) => ({
  id: row.id,
  object: "change_request" as const,
  kind: row.kind,
  partner_id: row.partnerId,
  status: statusNow(row, at),
  change: apiMembers(row.change),
  before: apiMembers(row.before),
  reason: row.reason,
  maker: { identity: row.maker, role: row.makerRole },
  checker: row.checker && row.checkerRole ? { identity: row.checker, role: row.checkerRole } : null,
  decision_reason: row.decisionReason,
  decided_at: row.decidedAt,
  expires_at: row.expiresAt,
  created_at: row.createdAt,
});
export type ChangeRequestView = ReturnType<typeof changeRequestView>;

/** The maker's proposal, which is the first approval: it lapses after `ADMIN_APPROVAL_TTL_HOURS`. */
export async function propose(
  deps: ApprovalDeps,
  maker: Actor,
  kind: ChangeKind,
  partnerId: string,
  change: Record<string, unknown>,
  before: Record<string, unknown>,
  reason: string,
) {
  if (!roleAtLeast(maker.role, "approver"))
    throw new ApiError("admin_role_insufficient", { role: "approver" });
  const created = new Date();
  const row = await insertChangeRequest(deps.db, {
    id: uuidv7(created.getTime()),
    kind,
    partnerId,
    change,
    before,
    reason,
    maker: maker.identity,
    makerRole: maker.role,
    expiresAt: new Date(created.getTime() + deps.config.ADMIN_APPROVAL_TTL_HOURS * 3_600_000).toISOString(),
    createdAt: created.toISOString(),
    updatedAt: created.toISOString(),
  });
  return changeRequestView(row);
}

export type ContractChangeOutcome =
  | {
      kind: "applied";
      before: Record<string, unknown>;
      after: Record<string, unknown>;
      contract: ReturnType<typeof contractView>;
    }
  | { kind: "proposed"; request: ChangeRequestView };

/**
 * A contract change: one that only narrows applies at once; one that widens anything or changes
 * fees becomes a change request that a second approver must approve.
 */
export async function changeContract(
  deps: ApprovalDeps,
  actor: Actor,
  partnerId: string,
  patch: ContractPatch,
  reason: string,
): Promise<ContractChangeOutcome> {
  const { partner, contract } = await requirePartner(deps.db, partnerId);
  if (partner.status === "offboarded")
    throw new ApiError("invalid_state_transition", {
      operation: "change the contract of",
      object: "partner",
      status: partner.status,
    });
  const next = nextContract(contract, patch);
  if (next.securityProfile === "fapi" && contract.securityProfile !== "fapi")
    await requireClientKeys(deps.db, partnerId);
  const change = changedMembers(contract, next);
  const before = currentMembers(contract, change);
  if (sensitiveParts(contract, next).length > 0) {
    return {
      kind: "proposed",
      request: await propose(deps, actor, "contract_change", partnerId, change, before, reason),
    };
  }
  if (Object.keys(change).length === 0)
    return { kind: "applied", before: {}, after: {}, contract: contractView(contract) };
  const updated = await updateContract(deps.db, partnerId, change);
  if (!updated)
    throw new ApiError("invalid_state_transition", {
      operation: "change the contract of",
      object: "partner",
      status: "offboarded",
    });
  await forgetPartner(deps.db, partnerId);
  return {
    kind: "applied",
    before: apiMembers(before),
    after: apiMembers(change),
    contract: contractView(updated),
  };
}

/** A FAPI contract leaves its clients no secret: the partner must have registered keys or a certificate. */
async function requireClientKeys(db: Db, partnerId: string) {
  if (!hasClientKeys(await findClientRegistration(db, partnerId)))
    throw new ApiError("fapi_requires_client_keys", {
      detail:
        "the partner has registered none (PUT /admin/v1/partners/{id}/oauth-client or its own PUT /v1/partner/oauth-client)",
    });
}

/** Reactivating a suspended partner always needs two approvers: it is proposed here. */
export async function proposeReactivation(
  deps: ApprovalDeps,
  actor: Actor,
  partnerId: string,
  reason: string,
) {
  const { partner } = await requirePartner(deps.db, partnerId);
  if (partner.status !== "suspended")
    throw new ApiError("invalid_state_transition", {
      operation: "reactivate",
      object: "partner",
      status: partner.status,
    });
  return propose(
    deps,
    actor,
    "reactivation",
    partnerId,
    { status: "active" },
    { status: partner.status },
    reason,
  );
}

async function decidableRequest(
  deps: ApprovalDeps,
  checker: Actor,
  id: string,
  operation: string,
  at: string,
) {
  const row = await findChangeRequest(deps.db, id);
  if (!row) throw new ApiError("not_found", { resource: `change request ${id}` });
  if (row.status !== "pending")
    throw new ApiError("invalid_state_transition", {
      operation,
      object: "change request",
      status: row.status,
    });
  if (row.expiresAt <= at) {
    await expireChangeRequest(deps.db, id, at);
    throw new ApiError("approval_expired", { expires_at: row.expiresAt });
  }
  if (row.maker === checker.identity && operation === "approve") throw new ApiError("approval_by_maker");
  return row;
}

/** The checker's approval: a different approver than the maker, before expiry. The change then applies. */
export async function approve(deps: ApprovalDeps, checker: Actor, id: string, reason: string | null) {
  const at = new Date().toISOString();
  const row = await decidableRequest(deps, checker, id, "approve", at);
  const kind = KINDS[row.kind];
  const prepared = await kind.prepare?.(deps.db, row);
  const decided = await decideChangeRequest(
    deps.db,
    id,
    { status: "applied", checker: checker.identity, checkerRole: checker.role, reason, at },
    kind.apply(deps.db, row, decidable(id, checker.identity, at), at, prepared),
  );
  if (!decided) {
    const now = await findChangeRequest(deps.db, id);
    if (now && now.status !== "pending")
      throw new ApiError("invalid_state_transition", {
        operation: "approve",
        object: "change request",
        status: now.status,
      });
    throw await kind.refusal(deps.db, row);
  }
  await kind.after?.(deps, row);
  await forgetPartner(deps.db, row.partnerId);
  return { before: changeRequestView(row, at), after: changeRequestView(decided, at) };
}

/** Any approver but the maker may reject; the maker withdraws its own request the same way. */
export async function reject(deps: ApprovalDeps, checker: Actor, id: string, reason: string) {
  const at = new Date().toISOString();
  const row = await decidableRequest(deps, checker, id, "reject", at);
  const decided = await decideChangeRequest(deps.db, id, {
    status: "rejected",
    checker: checker.identity,
    checkerRole: checker.role,
    reason,
    at,
  });
  if (!decided) {
    const now = await findChangeRequest(deps.db, id);
    throw new ApiError("invalid_state_transition", {
      operation: "reject",
      object: "change request",
      status: now?.status ?? "unknown",
    });
  }
  return { before: changeRequestView(row, at), after: changeRequestView(decided, at) };
}

export async function getChangeRequest(db: Db, id: string) {
  const row = await findChangeRequest(db, id);
  if (!row) throw new ApiError("not_found", { resource: `change request ${id}` });
  return changeRequestView(row);
}

export async function listChangeRequests(db: Db, filter: Parameters<typeof changeRequestRows>[1]) {
  const at = new Date().toISOString();
  const rows = await changeRequestRows(db, filter, at);
  return {
    data: rows.slice(0, filter.limit).map((r) => changeRequestView(r, at)),
    has_more: rows.length > filter.limit,
  };
}
