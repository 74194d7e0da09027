import type { Db } from "../../platform/db/client";
import type { PartnerProfile } from "../../platform/types";
import { activeConsumerKeys, findPartnerWithContract } from "./storage";

/** Requests per second by tier (docs/contract.md, headers); a contract may override its tier's figure. */
export const TIER_RATE_LIMITS = { sandbox: 25, standard: 100, enterprise: 1000 } as const;

export async function loadProfile(db: Db, partnerId: string): Promise<PartnerProfile | undefined> {
  const [row, clientIds] = await Promise.all([
    findPartnerWithContract(db, partnerId),
    activeConsumerKeys(db, partnerId),
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
    fees: { bps: contract.feeBps, fixedMinor: contract.feeFixedMinor },
    activeClientIds: clientIds,
  };
}

interface Entry {
  profile: PartnerProfile | undefined;
  loadedAt: number;
  expiresAt: number;
}

/**
 * Per-isolate cache of partner profiles, so bearer verification does not read D1 on
 * every request. Staleness is bounded by the TTL (≤ 60 s by configuration): that is how
 * quickly a suspension or a contract change bites everywhere. Concurrent misses for one
 * partner share one D1 read.
 */
export class ProfileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<PartnerProfile | undefined>>();

  constructor(private readonly maxEntries = 10_000) {}

  async get(
    partnerId: string,
    ttlMs: number,
    load: (id: string) => Promise<PartnerProfile | undefined>,
  ): Promise<PartnerProfile | undefined> {
    const now = Date.now();
    const hit = this.entries.get(partnerId);
    if (hit && hit.expiresAt > now) return hit.profile;
    return this.load(partnerId, ttlMs, load);
  }

  /**
   * Reloads a cached profile loaded before `notBefore` (ms): a token minted after our
   * snapshot may come from a consumer key created since. A snapshot newer than the token
   * is kept, so a revoked key's tokens (no new ones can be minted) cause no D1 reads.
   */
  async refresh(
    partnerId: string,
    ttlMs: number,
    load: (id: string) => Promise<PartnerProfile | undefined>,
    notBefore: number,
  ): Promise<PartnerProfile | undefined> {
    const hit = this.entries.get(partnerId);
    if (hit && hit.loadedAt >= notBefore) return hit.profile;
    return this.load(partnerId, ttlMs, load);
  }

  private load(
    partnerId: string,
    ttlMs: number,
    load: (id: string) => Promise<PartnerProfile | undefined>,
  ): Promise<PartnerProfile | undefined> {
    const pending = this.inflight.get(partnerId);
    if (pending) return pending;
    const loading = load(partnerId)
      .then((profile) => {
        if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value ?? "");
        const loadedAt = Date.now();
        this.entries.set(partnerId, { profile, loadedAt, expiresAt: loadedAt + ttlMs });
        return profile;
      })
      .finally(() => this.inflight.delete(partnerId));
    this.inflight.set(partnerId, loading);
    return loading;
  }

  invalidate(partnerId?: string) {
    if (partnerId === undefined) this.entries.clear();
    else this.entries.delete(partnerId);
  }
}

/** One cache per isolate. */
export const profileCache = new ProfileCache();
