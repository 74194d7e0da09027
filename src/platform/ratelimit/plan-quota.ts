/**
 * Blocking overage on the hot path (docs/billing.md, quotas): what a partner's cached profile
 * carries of a plan that blocks, so a partner without one pays nothing and one with one pays one
 * hop to its limiter object. Computed by the billing module when the profile loads: the current
 * period and the next, so a profile cached across a period's end still knows the new period.
 */
export interface PlanQuotaWindow {
  /** `YYYY-MM-DD`, the period's first day (UTC): what the counter is keyed by. */
  start: string;
  /** `YYYY-MM-DD`, exclusive. */
  end: string;
  /** Per product with included calls under a version whose overage is `block`: those calls. */
  included: Record<string, number>;
}

export interface PlanQuota {
  windows: PlanQuotaWindow[];
}

/** The counter's answer for one call. */
export interface PlanCallGrant {
  allowed: boolean;
  used: number;
}

/** The window holding `nowMs` and the product's included calls in it; undefined when the call is not blocked. */
export function blockingWindow(
  quota: PlanQuota | null,
  product: string | null,
  nowMs: number,
): { window: PlanQuotaWindow; included: number } | undefined {
  if (!quota || product === null) return undefined;
  const today = new Date(nowMs).toISOString().slice(0, 10);
  const window = quota.windows.find((w) => w.start <= today && today < w.end);
  const included = window?.included[product];
  return window && included !== undefined ? { window, included } : undefined;
}

/** Seconds from `nowMs` to the window's end (00:00 UTC of its `end` day), at least 1. */
export const secondsToEnd = (window: PlanQuotaWindow, nowMs: number) =>
  Math.max(1, Math.ceil((Date.parse(`${window.end}T00:00:00Z`) - nowMs) / 1000));
