import { z } from "zod";
import type { Product } from "../../platform/catalog";
import type { RatePlan } from "./plan";
import { count } from "./price";

/**
 * What a plan says of the next call (docs/billing.md, quotas and alerts). Under `overage: block`,
 * a product the plan gives included calls may make that many in a period and no more; one it gives
 * none is not capped by the plan (its tiers price every call). Under `bill`, nothing is refused:
 * the calls past the included ones are overage, billed at the tiers. Included calls are the
 * period's whole allowance, also in a prorated first period.
 */

export interface QuotaDecision {
  allowed: boolean;
  /** The cap on the product's calls in the period; `null`: none. */
  limit: number | null;
  /** Calls of the period before this one. */
  used: number;
  /** Calls still allowed after `used` (never below 0); `null` without a cap. */
  remaining: number | null;
  /** The call is past the included ones: billed at the tiers. */
  overage: boolean;
}

/** Whether one more call of `product` is allowed, `used` calls of the period already made. */
export function checkCall(plan: RatePlan, product: Product, used: number): QuotaDecision {
  count(used, "calls used");
  const included = plan.products[product]?.included_calls;
  const overage = included !== undefined && used >= included;
  if (plan.overage === "bill" || included === undefined) {
    return { allowed: true, limit: null, used, remaining: null, overage };
  }
  return {
    allowed: used < included,
    limit: included,
    used,
    remaining: Math.max(0, included - used),
    overage,
  };
}

/** Alert thresholds a partner sets: percentages of a product's included calls, 1–1000 (past 100 % under `bill`). */
export const ThresholdsSchema = z.array(z.int().min(1).max(1000)).max(10);

/**
 * The thresholds `used` calls have reached: p is reached when `used × 100 ≥ p × included`, in
 * integers. None for a product without included calls (or with 0): there is no percentage of it.
 */
export function thresholdsReached(
  plan: RatePlan,
  product: Product,
  used: number,
  thresholds: readonly number[],
): number[] {
  const included = BigInt(plan.products[product]?.included_calls ?? 0);
  const n = count(used, "calls used");
  if (included === 0n) return [];
  return [...new Set(thresholds)]
    .filter((p) => n * 100n >= count(p, "a threshold") * included)
    .sort((a, b) => a - b);
}

/** The thresholds reached at `after` calls and not at `before`: each alert is sent once, when crossed. */
export function thresholdsCrossed(
  plan: RatePlan,
  product: Product,
  before: number,
  after: number,
  thresholds: readonly number[],
): number[] {
  const already = new Set(thresholdsReached(plan, product, before, thresholds));
  return thresholdsReached(plan, product, after, thresholds).filter((p) => !already.has(p));
}
