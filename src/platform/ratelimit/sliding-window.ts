import type { Grant } from "./types";

/**
 * Sliding-window counter (the approximation Upstash's `slidingWindow` uses too): the
 * previous fixed window's count, weighted by how much of it still overlaps the sliding
 * window, plus the current window's count.
 */
export class SlidingWindow {
  private windowIndex = -1;
  private current = 0;
  private previous = 0;

  /** Grants up to `want` permits; fewer when the window is nearly full, none when it is full. */
  take(limit: number, windowMs: number, now: number, want = 1): Grant {
    const index = Math.floor(now / windowMs);
    if (index !== this.windowIndex) {
      this.previous = index === this.windowIndex + 1 ? this.current : 0;
      this.current = 0;
      this.windowIndex = index;
    }
    const elapsed = (now % windowMs) / windowMs;
    const used = this.previous * (1 - elapsed) + this.current;
    const resetSeconds = Math.max(1, Math.ceil((windowMs - (now % windowMs)) / 1000));
    const granted = Math.max(0, Math.min(want, Math.floor(limit - used)));
    if (granted === 0) {
      return { allowed: false, granted, limit, remaining: 0, resetSeconds, refusedBy: "rate" };
    }
    this.current += granted;
    return {
      allowed: true,
      granted,
      limit,
      remaining: Math.max(0, Math.floor(limit - used - granted)),
      resetSeconds,
    };
  }
}

/** Seconds until the next UTC midnight, when daily quotas start again. */
export const secondsUntilUtcMidnight = (now: number) =>
  Math.max(1, Math.ceil((86_400_000 - (now % 86_400_000)) / 1000));

/** The refusal of a request over the daily quota, whichever backend counted it. */
export const quotaRefusal = (quota: number, now: number): Grant => ({
  allowed: false,
  granted: 0,
  limit: quota,
  remaining: 0,
  resetSeconds: secondsUntilUtcMidnight(now),
  refusedBy: "quota",
  quota,
});
