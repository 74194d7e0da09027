import type { LimitDecision } from "./types";

/**
 * Sliding-window counter (the approximation Upstash's `slidingWindow` uses too): the
 * previous fixed window's count, weighted by how much of it still overlaps the sliding
 * window, plus the current window's count.
 */
export class SlidingWindow {
  private windowIndex = -1;
  private current = 0;
  private previous = 0;

  hit(limit: number, windowMs: number, now: number): LimitDecision {
    const index = Math.floor(now / windowMs);
    if (index !== this.windowIndex) {
      this.previous = index === this.windowIndex + 1 ? this.current : 0;
      this.current = 0;
      this.windowIndex = index;
    }
    const elapsed = (now % windowMs) / windowMs;
    const used = this.previous * (1 - elapsed) + this.current;
    const resetSeconds = Math.max(1, Math.ceil((windowMs - (now % windowMs)) / 1000));
    if (used + 1 > limit) {
      return { allowed: false, limit, remaining: 0, resetSeconds, refusedBy: "rate" };
    }
    this.current += 1;
    return { allowed: true, limit, remaining: Math.max(0, Math.floor(limit - used - 1)), resetSeconds };
  }
}

/** Seconds until the next UTC midnight, when daily quotas start again. */
export const secondsUntilUtcMidnight = (now: number) =>
  Math.max(1, Math.ceil((86_400_000 - (now % 86_400_000)) / 1000));

/** The refusal of a request over the daily quota, whichever backend counted it. */
export const quotaRefusal = (quota: number, now: number): LimitDecision => ({
  allowed: false,
  limit: quota,
  remaining: 0,
  resetSeconds: secondsUntilUtcMidnight(now),
  refusedBy: "quota",
  quota,
});
