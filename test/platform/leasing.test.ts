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
    expect(backend.calls).toBe(50); // leases of 20
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

  it("lets unused permits lapse after 250 ms", async () => {
    const backend = new CountingBackend();
    const limiter = new LeasingLimiter(backend);
    await limiter.check(policy(1000));
    vi.setSystemTime(new Date("2026-11-22T12:00:00.300Z"));
    await limiter.check(policy(1000));
    expect(backend.calls).toBe(2);
  });
});
