import type { PlanQuota, PlanQuotaWindow } from "../../platform/ratelimit/plan-quota";
import { type BillingPeriod, firstPeriod, nextPeriod, periodContaining } from "./period";
import { type BillingTerms, planFor } from "./terms";

/** A period's blocking products: those with included calls under a version whose overage is `block`. */
function windowOf(terms: BillingTerms, period: BillingPeriod): PlanQuotaWindow {
  const { plan } = planFor(terms, period);
  const included: Record<string, number> = {};
  if (plan.overage === "block")
    for (const [product, t] of Object.entries(plan.products))
      if (t?.included_calls !== undefined) included[product] = t.included_calls;
  return { start: period.start, end: period.end, included };
}

/**
 * What the cached profile carries for blocking overage (src/platform/middleware/plan-quota.ts):
 * today's period and the next, each with its blocking products; null when neither blocks any,
 * so such a partner's calls never ask the counter.
 */
export function planQuotaOf(terms: BillingTerms | undefined, today: string): PlanQuota | null {
  if (!terms) return null;
  const current = periodContaining(terms.schedule, today) ?? firstPeriod(terms.schedule);
  const windows = [windowOf(terms, current), windowOf(terms, nextPeriod(terms.schedule, current))];
  return windows.some((w) => Object.keys(w.included).length > 0) ? { windows } : null;
}
