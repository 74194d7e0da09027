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

  async acquire(policy: LimitPolicy, permits: number): Promise<Grant> {
    const now = Date.now();
    const rateLimiter = this.limiter("rate", policy.limit, policy.windowMs);
    let granted = permits;
    let rate = await rateLimiter.limit(policy.key, { rate: granted });
    // Redis grants all or nothing: near the limit, fall back to a single permit.
    if (!rate.success && granted > 1) {
      granted = 1;
      rate = await rateLimiter.limit(policy.key, { rate: granted });
    }
    const resetSeconds = Math.max(1, Math.ceil((rate.reset - now) / 1000));
    if (!rate.success) {
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
      granted,
      limit: policy.limit,
      remaining: rate.remaining,
      resetSeconds,
    };
    if (policy.dailyQuota === null) return grant;

    const quotaLimiter = this.limiter("quota", policy.dailyQuota, 86_400_000);
    let quota = await quotaLimiter.limit(policy.key, { rate: granted });
    if (!quota.success && granted > 1) {
      granted = 1;
      quota = await quotaLimiter.limit(policy.key, { rate: granted });
    }
    if (!quota.success) return quotaRefusal(policy.dailyQuota, now);
    return { ...grant, granted, remaining: Math.min(grant.remaining, quota.remaining) };
  }
}
