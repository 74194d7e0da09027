import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis/cloudflare";
import { quotaRefusal } from "./sliding-window";
import type { Grant, LimitPolicy, RateLimitBackend } from "./types";

/**
 * Global limits in Upstash Redis, used when `UPSTASH_REDIS_REST_URL` is configured.
 * Ratelimit instances are per (limit, window) and kept for the isolate's life. Analytics
 * and multi-region sync are off, so `pending` has no work to wait for.
 */
export class UpstashBackend implements RateLimitBackend {
  readonly name = "upstash";
  private readonly redis: Redis;
  private readonly limiters = new Map<string, Ratelimit>();

  constructor(
    url: string,
    token: string,
    private readonly prefix: string,
    deadlineMs: number,
  ) {
    // No retries, and the HTTP call is aborted at the deadline: a retry cannot fit in it.
    this.redis = new Redis({
      url,
      token,
      retry: false,
      enableTelemetry: false,
      signal: () => AbortSignal.timeout(deadlineMs),
    });
  }

  private limiter(kind: "rate" | "quota", limit: number, windowMs: number): Ratelimit {
    const id = `${kind}:${limit}:${windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis,
        prefix: `${this.prefix}:${kind}`,
        limiter:
          kind === "rate"
            ? Ratelimit.slidingWindow(limit, `${windowMs} ms`)
            : Ratelimit.fixedWindow(limit, "1 d"),
        analytics: false,
        // The gateway owns the deadline and the fail-open/closed policy; never let the
        // library decide on its own to let a request through.
        timeout: 0,
        ephemeralCache: false,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /**
   * Up to `permits` from one Upstash limiter. Its scripts grant all or nothing, and a refused
   * attempt may still have counted (the fixed window counts every attempt, the sliding window
   * one that overshoots), so a request for several permits first reads what is left and asks
   * for no more than that.
   */
  private async take(limiter: Ratelimit, key: string, permits: number) {
    let want = permits;
    if (want > 1) {
      const { remaining } = await limiter.getRemaining(key);
      want = Math.max(1, Math.min(want, remaining));
    }
    const response = await limiter.limit(key, { rate: want });
    return { granted: response.success ? want : 0, response };
  }

  async acquire(policy: LimitPolicy, permits: number): Promise<Grant> {
    const now = Date.now();
    const rateLimiter = this.limiter("rate", policy.limit, policy.windowMs);
    const rate = await this.take(rateLimiter, policy.key, permits);
    const resetSeconds = Math.max(1, Math.ceil((rate.response.reset - now) / 1000));
    if (rate.granted === 0) {
      return {
        allowed: false,
        granted: 0,
        limit: policy.limit,
        remaining: 0,
        resetSeconds,
        refusedBy: "rate",
      };
    }
    const grant: Grant = {
      allowed: true,
      granted: rate.granted,
      limit: policy.limit,
      remaining: rate.response.remaining,
      resetSeconds,
    };
    if (policy.dailyQuota === null) return grant;

    const quotaLimiter = this.limiter("quota", policy.dailyQuota, 86_400_000);
    const quota = await this.take(quotaLimiter, policy.key, rate.granted);
    // Rate permits the quota did not cover go back to the window (a negative rate is a refund).
    if (quota.granted < rate.granted)
      await rateLimiter.limit(policy.key, { rate: quota.granted - rate.granted });
    if (quota.granted === 0) return quotaRefusal(policy.dailyQuota, now);
    return {
      ...grant,
      granted: quota.granted,
      remaining: Math.min(grant.remaining, quota.response.remaining),
    };
  }
}
