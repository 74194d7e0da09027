import type { Grant, LimitDecision, LimitPolicy, RateLimitBackend } from "./types";

/** Partners allowed fewer requests per second are counted exactly, one backend call each. */
export const LEASE_MIN_LIMIT = 100;
/** At most this share of a partner's per-second limit is leased to one isolate at a time… */
const LEASE_SHARE = 1 / 50;
/** …and never more than this many permits. */
const LEASE_MAX = 1000;

export const leaseSize = (limit: number) =>
  limit < LEASE_MIN_LIMIT ? 1 : Math.max(1, Math.min(LEASE_MAX, Math.floor(limit * LEASE_SHARE)));

/** Keeps a background renewal alive past the request that started it (the Worker's `waitUntil`). */
export type Defer = (work: Promise<unknown>) => void;

interface Lease {
  left: number;
  /**
   * Permits lapse one window after the backend granted them: unspent capacity is not carried
   * further, while a lease renewed ahead has half a window to land before it is needed.
   */
  expiresAt: number;
  windowMs: number;
  /** The size it was granted at, and the window's state then. */
  granted: number;
  grant: Grant;
}

/**
 * The requests waiting for the partner's next backend call: `want` of them, each with its place.
 * Their decisions are one promise made by the request that opened the batch (in its own
 * request context, as the Workers runtime needs): undefined at a place the grant did not reach.
 */
interface Batch {
  want: number;
  decisions: Promise<Array<LimitDecision | undefined>>;
}

/**
 * A lease asks for the next one once it is half spent or half its time has gone: under load the
 * partner's object then has half a window to answer before any request would wait for it.
 */
const wantsRenewal = (lease: Lease, now: number) =>
  lease.left * 2 <= lease.granted || lease.expiresAt - now <= lease.windowMs / 2;

/**
 * Takes permits from the partner's backend (its Durable Object, or Upstash) a batch at a time:
 * every permit is counted by the backend before it is spent, so the limit holds across
 * isolates, and a busy partner costs a round trip per batch rather than per request.
 *
 * - One call per partner in flight at a time. Requests that find no permit wait for the next
 *   call, which asks for all of them at once: a burst costs two or three round trips to the
 *   partner's object, not one each queued behind one another (at 48 requests at once, the last
 *   would wait 48 round trips).
 * - Limits of 100/s and more add a lease to each call: spare permits (2 % of the limit, at
 *   most 1000) spent locally without I/O. Every leased permit was counted when granted, so in
 *   any window an isolate can spend beyond its share by at most what it held unspent when the
 *   window began: its leases (two at a time, 4 % of the limit). A lease lapses one window after
 *   it was granted, so no capacity is carried further. Below 100/s no spare is asked for, so
 *   counting is exact.
 * - A lease renews itself ahead of need: half spent (or half lapsed), it starts the next call
 *   in the background, so under steady load no request waits for the backend at all.
 */
export class LeasingLimiter {
  /** Per partner: the lease being spent, then the one renewed ahead of it. */
  private readonly leases = new Map<string, Lease[]>();
  /** Per partner: the call in flight (settled when it lands), and the batch waiting for the next. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, Batch>();

  constructor(readonly backend: RateLimitBackend) {}

  get name() {
    return this.backend.name;
  }

  /**
   * A permit from this isolate's leases, without waiting for any I/O; undefined when there is
   * none. May start the next lease's renewal, kept alive by `defer`.
   */
  spendLocal(policy: LimitPolicy, defer?: Defer): LimitDecision | undefined {
    const decision = this.fromLease(policy.key);
    if (!decision) return undefined;
    const queue = this.leases.get(policy.key);
    const lease = queue?.[0];
    if (queue?.length === 1 && lease && wantsRenewal(lease, Date.now()) && !this.busy(policy.key)) {
      // Not inside `defer?.()`, which would skip the call without one.
      const ahead = this.call(policy).decisions.catch(() => undefined);
      defer?.(ahead);
    }
    return decision;
  }

  async check(policy: LimitPolicy, defer?: Defer): Promise<LimitDecision> {
    for (;;) {
      const local = this.spendLocal(policy, defer);
      if (local) return local;
      const decision = await this.wait(policy);
      if (decision) return decision;
      // The call's grant ran out before this request: a lease may have come with it, or the
      // next call answers (a refusal then carries the backend's own reason, rate or quota).
    }
  }

  private fromLease(key: string): LimitDecision | undefined {
    const queue = this.leases.get(key);
    if (!queue) return undefined;
    const now = Date.now();
    while (queue[0] && (queue[0].left <= 0 || queue[0].expiresAt <= now)) queue.shift();
    const lease = queue[0];
    if (!lease) {
      this.leases.delete(key);
      return undefined;
    }
    lease.left -= 1;
    const newest = queue[queue.length - 1] ?? lease;
    const unspent = queue.reduce((sum, l) => sum + l.left, 0);
    return { ...newest.grant, allowed: true, remaining: newest.grant.remaining + unspent };
  }

  private busy(key: string) {
    return this.inFlight.has(key) || this.waiting.has(key);
  }

  /** Joins the batch for the partner's next call; undefined when its grant ran out first. */
  private async wait(policy: LimitPolicy): Promise<LimitDecision | undefined> {
    const batch = this.waiting.get(policy.key) ?? this.call(policy);
    const place = batch.want++;
    return (await batch.decisions)[place];
  }

  /** Opens a batch for the call after the one in flight; whoever arrives before it starts joins it. */
  private call(policy: LimitPolicy): Batch {
    const { key } = policy;
    const previous = this.inFlight.get(key);
    // Ended as soon as the backend answers, before the batch's requests resume, so what they
    // do next may start the next call.
    const landed = () => {
      if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
    };
    const batch: Batch = { want: 0, decisions: Promise.resolve([]) };
    batch.decisions = (async () => {
      // Always yields first, even with no call in flight: the opener and whoever arrives in
      // the same turn join before the batch is served.
      await previous;
      if (this.waiting.get(key) === batch) this.waiting.delete(key);
      return this.serve(policy, batch.want, landed);
    })();
    const settled: Promise<void> = batch.decisions.then(landed, landed);
    this.waiting.set(key, batch);
    this.inFlight.set(key, settled);
    return batch;
  }

  /** The decisions of `want` waiting requests: from what landed meanwhile, then from one backend call. */
  private async serve(
    policy: LimitPolicy,
    want: number,
    landed: () => void,
  ): Promise<Array<LimitDecision | undefined>> {
    const { key } = policy;
    const decisions: Array<LimitDecision | undefined> = [];
    while (decisions.length < want) {
      const local = this.fromLease(key);
      if (!local) break;
      decisions.push(local);
    }
    const need = want - decisions.length;
    const size = leaseSize(policy.limit);
    const spare = size > 1 ? size : 0;
    if (need === 0 && (spare === 0 || (this.leases.get(key)?.length ?? 0) >= 2)) {
      landed();
      return decisions;
    }
    let grant: Grant;
    try {
      // A failure rejects every waiting request: each one's failure policy decides at once.
      grant = await this.backend.acquire(policy, need + spare);
    } finally {
      landed();
    }
    if (grant.granted === 0) {
      const { granted: _granted, ...refusal } = grant;
      while (decisions.length < want) decisions.push(refusal);
      return decisions;
    }
    const served = Math.min(grant.granted, need);
    for (let place = 0; place < served; place++) {
      decisions.push({ ...grant, allowed: true, remaining: grant.remaining + grant.granted - place - 1 });
    }
    const left = grant.granted - served;
    if (left > 0) {
      const lease = {
        left,
        granted: left,
        expiresAt: Date.now() + policy.windowMs,
        windowMs: policy.windowMs,
        grant,
      };
      const queue = this.leases.get(key);
      if (queue) queue.push(lease);
      else this.leases.set(key, [lease]);
    }
    // Places beyond the grant stay undefined: those requests ask again.
    return decisions;
  }
}
