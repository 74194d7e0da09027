import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/env";
import { quotaRefusal, SlidingWindow } from "../src/ratelimit/sliding-window";
import type { LimitDecision, LimitPolicy } from "../src/ratelimit/types";

/**
 * The embedded rate limiter: one object per partner and environment, so every key of a
 * partner, from every edge location, meets in one place. The one-second window lives in
 * memory (losing it on eviction only forgets a second); the daily quota is persisted.
 */
export class RateLimiter extends DurableObject<Env> {
  private readonly window = new SlidingWindow();

  async hit(policy: LimitPolicy): Promise<LimitDecision> {
    const now = Date.now();
    const decision = this.window.hit(policy.limit, policy.windowMs, now);
    if (!decision.allowed || policy.dailyQuota === null) return decision;

    const dayIndex = Math.floor(now / 86_400_000);
    const day = `quota:${dayIndex}`;
    const used = (this.ctx.storage.kv.get<number>(day) ?? 0) + 1;
    if (used === 1) this.ctx.storage.kv.delete(`quota:${dayIndex - 1}`);
    if (used > policy.dailyQuota) return quotaRefusal(policy.dailyQuota, now);
    this.ctx.storage.kv.put(day, used);
    return { ...decision, remaining: Math.min(decision.remaining, policy.dailyQuota - used) };
  }
}
