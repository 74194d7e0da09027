import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/platform/env";
import type { PlanCallGrant } from "../src/platform/ratelimit/plan-quota";
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

  /**
   * One call of a product under a blocking plan (src/platform/middleware/plan-quota.ts): counted
   * in the period starting `periodStart` while fewer than `included` were; refused after. The
   * storage calls are synchronous, so concurrent calls never both take the last one. A new
   * period's first call drops the counts of the periods before it.
   */
  takePlanCall(product: string, periodStart: string, included: number): PlanCallGrant {
    const key = `plan:${periodStart}:${product}`;
    const used = this.ctx.storage.kv.get<number>(key) ?? 0;
    if (used >= included) return { allowed: false, used };
    if (used === 0)
      for (const [old] of [...this.ctx.storage.kv.list({ prefix: "plan:" })])
        if (old.slice(5, 15) < periodStart) this.ctx.storage.kv.delete(old);
    this.ctx.storage.kv.put(key, used + 1);
    return { allowed: true, used: used + 1 };
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
