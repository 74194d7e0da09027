import { describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/platform/lib/logger";
import { LeasingLimiter } from "../../src/platform/ratelimit/leasing";
import { checkRateLimit } from "../../src/platform/ratelimit/policy";
import type { LimitPolicy, RateLimitBackend } from "../../src/platform/ratelimit/types";

const policy: LimitPolicy = { key: "sandbox:p", limit: 25, windowMs: 1000, dailyQuota: null };
const log = createLogger("error");

// Stand-ins for a backend in trouble; the real backends are exercised in test/platform/rate-limit.test.ts.
const hanging = new LeasingLimiter({
  name: "upstash",
  acquire: () => new Promise(() => undefined),
} satisfies RateLimitBackend);
const failing = new LeasingLimiter({
  name: "upstash",
  acquire: () => Promise.reject(new Error("ECONNREFUSED")),
} satisfies RateLimitBackend);

describe("checkRateLimit: deadline and failure policy", () => {
  for (const [label, backend] of [
    ["hangs", hanging],
    ["fails", failing],
  ] as const) {
    it(`fails open when the backend ${label}, marking the decision degraded`, async () => {
      const out = await checkRateLimit(
        backend,
        policy,
        { RATE_LIMIT_TIMEOUT_MS: 20, RATE_LIMIT_FAILURE_MODE: "open" },
        log,
      );
      expect(out).toEqual({ allowed: true, limit: 25, remaining: 24, resetSeconds: 1, degraded: true });
    });

    it(`fails closed when the backend ${label}`, async () => {
      const out = await checkRateLimit(
        backend,
        policy,
        { RATE_LIMIT_TIMEOUT_MS: 20, RATE_LIMIT_FAILURE_MODE: "closed" },
        log,
      );
      expect(out).toBe("unavailable");
    });
  }

  it("the deadline is what ends a hanging call", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const pending = checkRateLimit(
      hanging,
      policy,
      { RATE_LIMIT_TIMEOUT_MS: 50, RATE_LIMIT_FAILURE_MODE: "closed" },
      log,
    );
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(49);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toBe("unavailable");
    vi.useRealTimers();
  });
});
