import type { Db } from "../../platform/db/client";
import { TtlCache } from "../../platform/lib/ttl-cache";
import type { PartnerProfile } from "../../platform/types";
import { captureFees } from "../billing/capture-fee";
import { planQuotaOf } from "../billing/plan-quota";
import { billingTermsOf } from "../billing/terms";
import { revokedTokenIds } from "../oauth/grant-storage";
import { termsDueFor } from "../onboarding/storage";
import { activeConsumerKeys, type findCredential, findPartnerWithContract } from "./storage";

/** Requests per second by tier (docs/contract.md, headers); a contract may override its tier's figure. */
export const TIER_RATE_LIMITS = { sandbox: 25, standard: 100, enterprise: 1000 } as const;

export async function loadProfile(db: Db, partnerId: string): Promise<PartnerProfile | undefined> {
  const now = new Date().toISOString();
  const [row, clientIds, termsDue, billing, revoked] = await Promise.all([
    findPartnerWithContract(db, partnerId),
    activeConsumerKeys(db, partnerId),
    termsDueFor(db, partnerId, now),
    billingTermsOf(db, partnerId),
    revokedTokenIds(db, partnerId, now),
  ]);
  if (!row) return undefined;
  const { partner, contract } = row;
  return {
    id: partner.id,
    name: partner.name,
    environment: partner.environment,
    status: partner.status,
    tier: contract.tier,
    products: contract.products,
    scopes: contract.scopes,
    dataAccess: contract.dataAccess,
    limits: {
      requestsPerSecond: contract.rateLimitPerSecond ?? TIER_RATE_LIMITS[contract.tier],
      dailyQuota: contract.dailyQuota,
    },
    fees: captureFees(contract, billing),
    planQuota: planQuotaOf(billing, now.slice(0, 10)),
    corsOrigins: contract.corsOrigins,
    ipAllowlist: contract.ipAllowlist,
    webhookDomains: contract.webhookDomains,
    activeClientIds: clientIds,
    revokedTokenIds: revoked,
    apiVersion: contract.apiVersion,
    termsDue,
    securityProfile: contract.securityProfile,
    passwordGrant: contract.securityProfile === "standard" && contract.passwordGrant,
  };
}

/** One isolate's cache of partner profiles: bearer verification reads D1 only on a miss. */
export const profileCache = new TtlCache<PartnerProfile>();

/**
 * One isolate's cache of consumer keys with their partner, for the token endpoint: a key's
 * secret hash and status, read from D1 once per TTL instead of once per token. An unknown key
 * is not kept (a new key works at once); a revocation in this isolate clears it at once.
 */
export const credentialCache = new TtlCache<NonNullable<Awaited<ReturnType<typeof findCredential>>>>({
  cacheMisses: false,
});
