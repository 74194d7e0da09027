import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/platform/env";
import { quotaRefusal, SlidingWindow } from "../src/platform/ratelimit/sliding-window";
import type { Grant, LimitPolicy } from "../src/platform/ratelimit/types";

/**
 * The embedded rate limiter: one object per partner and environment, so every key of a
 * partner, from every edge location, meets in one place. The one-second window lives in
 * memory (losing it on eviction only forgets a second); the daily quota is persisted.
 */
export class RateLimiter extends DurableObject<Env> {
  private readonly window = new SlidingWindow();

  /** The status page's probe (on a reserved object name): the namespace answers, no state is read or written. */
  ping(): string {
    return "ok";
  }

  async acquire(policy: LimitPolicy, permits: number): Promise<Grant> {
    const now = Date.now();
    if (policy.dailyQuota === null) return this.window.take(policy.limit, policy.windowMs, now, permits);

    const dayIndex = Math.floor(now / 86_400_000);
    const day = `quota:${dayIndex}`;
    const used = this.ctx.storage.kv.get<number>(day) ?? 0;
    const want = Math.min(permits, policy.dailyQuota - used);
    if (want <= 0) return quotaRefusal(policy.dailyQuota, now);
    const grant = this.window.take(policy.limit, policy.windowMs, now, want);
    if (!grant.allowed) return grant;
    if (used === 0) this.ctx.storage.kv.delete(`quota:${dayIndex - 1}`);
    this.ctx.storage.kv.put(day, used + grant.granted);
    return { ...grant, remaining: Math.min(grant.remaining, policy.dailyQuota - used - grant.granted) };
  }
}
