import type { Db } from "../../platform/db/client";
import { billableCalls } from "./metering/storage";
import { type BillingPeriod, nextPeriod, periodContaining } from "./period";
import { type BillingTerms, billingTermsOf, type PlanVersion, planFor } from "./terms";

/**
 * What the admin API and the partner read of a plan (docs/billing.md, plans on contracts): the
 * version in force today, the one scheduled next, today's period and the calls it has used.
 */

const periodView = (p: BillingPeriod) => ({
  index: p.index,
  start: p.start,
  end: p.end,
  days: p.days,
  days_in_period: p.days_in_period,
});

const versionView = (v: PlanVersion) => ({
  version: v.version,
  effective_from: v.effectiveFrom,
  plan: v.plan,
});

/** Today's period, or the first one when billing has not started yet. */
export function currentPeriodOf(terms: BillingTerms, today: string): BillingPeriod | undefined {
  return periodContaining(terms.schedule, today);
}

/** The version in force on `today` and the next one scheduled after it, if any. */
export function versionsAround(terms: BillingTerms, today: string) {
  const current = currentPeriodOf(terms, today);
  const inForce = planFor(terms, { start: current?.start ?? terms.schedule.starts_on });
  const next = terms.versions.find((v) => v.version > inForce.version && v.effectiveFrom > today);
  return { current, inForce, next };
}

export async function adminPlanView(db: Db, partnerId: string, today: string) {
  const terms = await billingTermsOf(db, partnerId);
  if (!terms)
    return {
      object: "rate_plan" as const,
      partner_id: partnerId,
      account: null,
      in_force: null,
      versions: [],
      current_period: null,
    };
  const { current, inForce } = versionsAround(terms, today);
  return {
    object: "rate_plan" as const,
    partner_id: partnerId,
    account: {
      starts_on: terms.schedule.starts_on,
      anchor: terms.schedule.anchor ?? null,
      tax_bps: terms.taxBps,
      settlement: terms.settlement,
    },
    in_force: versionView(inForce),
    versions: terms.versions.map(versionView),
    current_period: current ? periodView(current) : null,
  };
}

/** The partner's own view; undefined when it has no plan. Used so far = billable calls this period. */
export async function partnerPlanView(db: Db, partnerId: string, today: string) {
  const terms = await billingTermsOf(db, partnerId);
  if (!terms) return undefined;
  const { current, inForce, next } = versionsAround(terms, today);
  const used = current ? await billableCalls(db, partnerId, current.start, current.end) : {};
  const usage = Object.entries(inForce.plan.products).flatMap(([product, t]) => {
    if (t?.included_calls === undefined) return [];
    const calls = (used as Record<string, number>)[product] ?? 0;
    return [
      {
        product,
        included_calls: t.included_calls,
        used_calls: calls,
        remaining_calls: Math.max(0, t.included_calls - calls),
      },
    ];
  });
  return {
    object: "plan" as const,
    version: inForce.version,
    effective_from: inForce.effectiveFrom,
    plan: inForce.plan,
    next: next ? versionView(next) : null,
    current_period: current ? periodView(current) : null,
    next_period_start: current ? nextPeriod(terms.schedule, current).start : terms.schedule.starts_on,
    usage,
  };
}
