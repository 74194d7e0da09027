import { describe, expect, it } from "vitest";
import { SlidingWindow, secondsUntilUtcMidnight } from "../../src/platform/ratelimit/sliding-window";

const T0 = Date.parse("2026-11-22T12:00:00.000Z");

describe("SlidingWindow", () => {
  it("allows `limit` in a window, then refuses with the seconds to wait", () => {
    const w = new SlidingWindow();
    const decisions = Array.from({ length: 5 }, (_, i) => w.take(3, 1000, T0 + 100 + i));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(decisions[3]).toMatchObject({ refusedBy: "rate", resetSeconds: 1 });
  });

  it("weights the previous window by its remaining overlap", () => {
    const w = new SlidingWindow();
    for (let i = 0; i < 10; i++) w.take(10, 1000, T0 + 900);
    // 10% into the next window, 90% of the previous 10 still count: 9 used, 1 left.
    expect(w.take(10, 1000, T0 + 1100)).toMatchObject({ allowed: true, remaining: 0 });
    expect(w.take(10, 1000, T0 + 1100).allowed).toBe(false);
    // Half-way, 5 of the previous count plus the 1 admitted above: 4 more fit.
    const later = Array.from({ length: 5 }, () => w.take(10, 1000, T0 + 1500));
    expect(later.filter((d) => d.allowed)).toHaveLength(4);
  });

  it("grants part of a larger request near the limit, and nothing at it", () => {
    const w = new SlidingWindow();
    expect(w.take(10, 1000, T0, 4)).toMatchObject({ granted: 4, remaining: 6 });
    expect(w.take(10, 1000, T0, 8)).toMatchObject({ granted: 6, remaining: 0 });
    expect(w.take(10, 1000, T0, 8)).toMatchObject({ allowed: false, granted: 0 });
  });

  it("forgets everything after a full idle window", () => {
    const w = new SlidingWindow();
    for (let i = 0; i < 3; i++) w.take(3, 1000, T0);
    expect(w.take(3, 1000, T0 + 2500)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("never lets a burst straddling two windows exceed the limit by much", () => {
    const w = new SlidingWindow();
    let allowed = 0;
    for (let t = T0 + 500; t < T0 + 1500; t += 1) if (w.take(100, 1000, t).allowed) allowed++;
    expect(allowed).toBeLessThanOrEqual(150);
    expect(allowed).toBeGreaterThanOrEqual(100);
  });

  it("counts seconds to UTC midnight for daily quotas", () => {
    expect(secondsUntilUtcMidnight(Date.parse("2026-11-22T23:59:30.000Z"))).toBe(30);
    expect(secondsUntilUtcMidnight(Date.parse("2026-11-22T00:00:00.000Z"))).toBe(86_400);
  });
});
