import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LeasingLimiter, leaseSize } from "../../src/platform/ratelimit/leasing";
import { SlidingWindow } from "../../src/platform/ratelimit/sliding-window";
import type { Grant, LimitPolicy, RateLimitBackend } from "../../src/platform/ratelimit/types";

/** A backend with the real window arithmetic that counts its calls, as one shared limiter. */
class CountingBackend implements RateLimitBackend {
  readonly name = "durable-object";
  calls = 0;
  private readonly window = new SlidingWindow();
  async acquire(policy: LimitPolicy, permits: number): Promise<Grant> {
    this.calls += 1;
    return this.window.take(policy.limit, policy.windowMs, Date.now(), permits);
  }
}

const policy = (limit: number): LimitPolicy => ({
  key: "sandbox:p",
  limit,
  windowMs: 1000,
  dailyQuota: null,
});

/** Lets queued calls reach the backend (timers stay real: only Date is faked). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-11-22T12:00:00.000Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("LeasingLimiter", () => {
  it("sizes leases at 2 % of the limit, none below 100/s, at most 1000", () => {
    expect([25, 99, 100, 1000, 10_000, 1_000_000].map(leaseSize)).toEqual([1, 1, 2, 20, 200, 1000]);
  });

  it("counts low limits exactly: one backend call per request", async () => {
    const backend = new CountingBackend();
    const limiter = new LeasingLimiter(backend);
    const allowed = [];
    for (let i = 0; i < 30; i++) allowed.push((await limiter.check(policy(25))).allowed);
    expect(allowed.filter(Boolean)).toHaveLength(25);
    expect(backend.calls).toBe(30);
  });

  it("never admits more than the limit, with far fewer backend calls", async () => {
    const backend = new CountingBackend();
    const limiter = new LeasingLimiter(backend);
    const decisions = [];
    for (let i = 0; i < 1000; i++) decisions.push(await limiter.check(policy(1000)));
    // A call per lease of 20 (the first also carries its own request's permit), a few smaller
    // ones as the window fills, and one that finds it full: about 55 calls for 1000 requests.
    expect(backend.calls).toBeLessThan(60);
    expect(backend.calls).toBeGreaterThanOrEqual(48);
    for (let i = 0; i < 200; i++) decisions.push(await limiter.check(policy(1000)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(1000);
    expect(decisions[0]?.remaining).toBe(999);
    expect(decisions[999]?.remaining).toBe(0);
    expect(decisions[1000]).toMatchObject({ allowed: false, refusedBy: "rate" });
  });

  it("shares the limit across isolates: two limiters on one backend admit the limit in total", async () => {
    const backend = new CountingBackend();
    const a = new LeasingLimiter(backend);
    const b = new LeasingLimiter(backend);
    let allowed = 0;
    for (let i = 0; i < 600; i++) {
      if ((await a.check(policy(500))).allowed) allowed++;
      if ((await b.check(policy(500))).allowed) allowed++;
    }
    expect(allowed).toBe(500);
  });

  it("concurrent requests share one renewal", async () => {
    const backend = new CountingBackend();
    const limiter = new LeasingLimiter(backend);
    const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter.check(policy(1000))));
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(backend.calls).toBe(1);
  });

  it("lets unused permits lapse one window after they were granted", async () => {
    const backend = new CountingBackend();
    const limiter = new LeasingLimiter(backend);
    await limiter.check(policy(1000));
    vi.setSystemTime(new Date("2026-11-22T12:00:01.000Z"));
    expect(limiter.spendLocal(policy(1000))).toBeUndefined();
    await limiter.check(policy(1000));
    expect(backend.calls).toBe(2);
  });

  it("renews a lease ahead of need: under steady load no request waits for the backend", async () => {
    // A backend that answers only when told to: a request that waited on it would not settle.
    const window = new SlidingWindow();
    const answers: Array<() => void> = [];
    let calls = 0;
    const slow: RateLimitBackend = {
      name: "durable-object",
      acquire: (p, permits) => {
        calls += 1;
        return new Promise((resolve) => {
          answers.push(() => resolve(window.take(p.limit, p.windowMs, Date.now(), permits)));
        });
      },
    };
    const deferred: Promise<unknown>[] = [];
    const limiter = new LeasingLimiter(slow);
    const first = limiter.check(policy(1000), (w) => deferred.push(w));
    await settle();
    answers.shift()?.();
    expect((await first).allowed).toBe(true);
    // Spending the lease (20 spare permits) down to half asks for the next one, in the
    // background, kept alive by `defer`.
    for (let i = 0; i < 9; i++) expect(limiter.spendLocal(policy(1000))?.allowed).toBe(true);
    expect(calls).toBe(1);
    expect(limiter.spendLocal(policy(1000), (w) => deferred.push(w))?.allowed).toBe(true);
    await settle();
    expect(calls).toBe(2);
    expect(deferred).toHaveLength(1);
    // While that renewal is in flight, the rest of the lease still serves without waiting.
    for (let i = 0; i < 9; i++) expect(limiter.spendLocal(policy(1000))?.allowed).toBe(true);
    expect(calls).toBe(2);
    answers.shift()?.();
    await Promise.all(deferred);
    // The lease renewed ahead takes over when the first runs out, without a call.
    for (let i = 0; i < 9; i++) expect(limiter.spendLocal(policy(1000))?.allowed).toBe(true);
    expect(calls).toBe(2);
  });

  it("a lease renewed ahead still lapses one window after it was granted", async () => {
    const backend = new CountingBackend();
    const limiter = new LeasingLimiter(backend);
    await limiter.check(policy(1000));
    for (let i = 0; i < 10; i++) limiter.spendLocal(policy(1000)); // half the lease: renews ahead
    await settle();
    expect(backend.calls).toBe(2);
    vi.setSystemTime(new Date("2026-11-22T12:00:01.000Z"));
    expect(limiter.spendLocal(policy(1000))).toBeUndefined();
  });

  it("a renewal ahead that the window refuses leaves the lease in hand, and asks once", async () => {
    const backend = new CountingBackend();
    const limiter = new LeasingLimiter(backend);
    // 980 of 1000 taken elsewhere: this isolate's lease of 20 is the window's last.
    await backend.acquire(policy(1000), 980);
    await limiter.check(policy(1000));
    const calls = backend.calls;
    let allowed = 1;
    for (let i = 0; i < 25; i++) if (limiter.spendLocal(policy(1000))?.allowed) allowed++;
    await settle();
    expect(allowed).toBe(20);
    expect(backend.calls).toBe(calls + 1);
    expect(await limiter.check(policy(1000))).toMatchObject({ allowed: false, refusedBy: "rate" });
  });
});

describe("LeasingLimiter: exact counting under a burst", () => {
  it("a burst at a low limit shares a few backend calls and admits exactly the limit", async () => {
    const backend = new CountingBackend();
    const limiter = new LeasingLimiter(backend);
    const decisions = await Promise.all(Array.from({ length: 48 }, () => limiter.check(policy(25))));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
    expect(decisions.filter((d) => !d.allowed).every((d) => d.refusedBy === "rate")).toBe(true);
    // Arriving together, the 48 share one call (25 granted), and the 23 it did not reach share
    // one more, the refusal: two calls, not 48.
    expect(backend.calls).toBe(2);
    // Each admitted request sees a distinct remaining count, 24 down to 0.
    expect(
      decisions
        .filter((d) => d.allowed)
        .map((d) => d.remaining)
        .sort((a, b) => b - a),
    ).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));
  });

  it("a partial grant's overflow carries the backend's own refusal (a daily quota)", async () => {
    let quotaLeft = 3;
    const window = new SlidingWindow();
    const backend: RateLimitBackend = {
      name: "durable-object",
      async acquire(p, permits) {
        const want = Math.min(permits, quotaLeft);
        if (want === 0) {
          return {
            allowed: false,
            granted: 0,
            limit: 5,
            remaining: 0,
            resetSeconds: 3600,
            refusedBy: "quota",
            quota: 5,
          };
        }
        const grant = window.take(p.limit, p.windowMs, Date.now(), want);
        quotaLeft -= grant.granted;
        return grant;
      },
    };
    const limiter = new LeasingLimiter(backend);
    const decisions = await Promise.all(Array.from({ length: 8 }, () => limiter.check(policy(25))));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
    expect(decisions.filter((d) => !d.allowed).map((d) => d.refusedBy)).toEqual(Array(5).fill("quota"));
  });

  it("requests arriving while a call is in flight share the next call", async () => {
    const backend = new CountingBackend();
    const limiter = new LeasingLimiter(backend);
    const first = limiter.check(policy(25));
    await settle(); // the first call is now in flight
    const later = Array.from({ length: 10 }, () => limiter.check(policy(25)));
    const decisions = await Promise.all([first, ...later]);
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(backend.calls).toBe(2);
  });

  it("two isolates bursting on one backend admit the limit in total", async () => {
    const backend = new CountingBackend();
    const a = new LeasingLimiter(backend);
    const b = new LeasingLimiter(backend);
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).check(policy(25))),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
  });
});
