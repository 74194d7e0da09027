import type { Grant, LimitDecision, LimitPolicy, RateLimitBackend } from "./types";

/** Partners allowed fewer requests per second are counted exactly, one backend call each. */
export const LEASE_MIN_LIMIT = 100;
/** At most this share of a partner's per-second limit is leased to one isolate at a time… */
const LEASE_SHARE = 1 / 50;
/** …and never more than this many permits. */
const LEASE_MAX = 1000;
/** Unused permits lapse quickly, so a lease cannot carry capacity across windows. */
const LEASE_TTL_MS = 250;

export const leaseSize = (limit: number) =>
  limit < LEASE_MIN_LIMIT ? 1 : Math.max(1, Math.min(LEASE_MAX, Math.floor(limit * LEASE_SHARE)));

interface Lease {
  left: number;
  expiresAt: number;
  grant: Grant;
}

/**
 * Asks the backend for a small batch of permits at a time and spends them locally, so a
 * busy partner costs one limiter round trip per batch rather than per request. Every
 * permit is still counted by the backend when leased, so the partner's limit holds across
 * isolates; an isolate can only run ahead by one lease (≤ 2 % of the limit, ≤ 250 ms).
 * Low limits (< 100/s) stay exact: one permit, one call.
 */
export class LeasingLimiter {
  private readonly leases = new Map<string, Lease>();
  private readonly pending = new Map<string, Promise<Grant>>();

  constructor(readonly backend: RateLimitBackend) {}

  get name() {
    return this.backend.name;
  }

  /** A permit from this isolate's lease, without any I/O; undefined when there is none. */
  spendLocal(policy: LimitPolicy): LimitDecision | undefined {
    const lease = this.leases.get(policy.key);
    if (!lease || lease.left <= 0 || lease.expiresAt <= Date.now()) return undefined;
    lease.left -= 1;
    return { ...lease.grant, allowed: true, remaining: lease.grant.remaining + lease.left };
  }

  async check(policy: LimitPolicy): Promise<LimitDecision> {
    const size = leaseSize(policy.limit);
    if (size === 1) return this.backend.acquire(policy, 1);
    // A few rounds at most: concurrent requests may spend a fresh lease before we do.
    for (let round = 0; round < 3; round++) {
      const local = this.spendLocal(policy);
      if (local) return local;
      const grant = await this.renew(policy, size);
      if (grant.granted === 0) return grant;
    }
    return this.backend.acquire(policy, 1);
  }

  /** One renewal per partner at a time; concurrent requests wait for it. */
  private renew(policy: LimitPolicy, size: number): Promise<Grant> {
    const inFlight = this.pending.get(policy.key);
    if (inFlight) return inFlight;
    const renewal = this.backend
      .acquire(policy, size)
      .then((grant) => {
        if (grant.granted > 0) {
          this.leases.set(policy.key, { left: grant.granted, expiresAt: Date.now() + LEASE_TTL_MS, grant });
        } else {
          this.leases.delete(policy.key);
        }
        return grant;
      })
      .finally(() => this.pending.delete(policy.key));
    this.pending.set(policy.key, renewal);
    return renewal;
  }
}
