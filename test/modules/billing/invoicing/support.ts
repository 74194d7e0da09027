import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { type CloseDeps, closeDuePeriods } from "../../../../src/modules/billing/invoicing/close";
import { invoices } from "../../../../src/modules/billing/invoicing/storage";
import { meteredUsage } from "../../../../src/modules/billing/metering/storage";
import type { RatePlanInput } from "../../../../src/modules/billing/plan";
import { billingAccounts, ratePlans } from "../../../../src/modules/billing/storage";
import { createLogger } from "../../../../src/platform/lib/logger";
import { db, provisionPartner } from "../../../support/partners";
import { planOf } from "../support";

const DAY = 86_400_000;
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A USD monthly plan: $310 a month, 10 payments calls included, then 5 cents a call. */
export const PLAN: Partial<RatePlanInput> = {
  currency: "USD",
  recurring_fee_minor: 31_000,
  products: {
    payments: {
      included_calls: 10,
      pricing: "graduated",
      tiers: [{ up_to: null, price: { minor: 5, per: 1 } }],
    },
  },
};

/**
 * A partner with a billing account whose first month started `daysAgo` days ago (one period due
 * for 32–59), the plan as one version, the tax and the settlement given.
 */
export async function billedPartner(
  opts: {
    daysAgo?: number;
    plan?: Partial<RatePlanInput>;
    taxBps?: number;
    settlement?: "invoice" | "balance";
  } = {},
) {
  const partner = await provisionPartner();
  const startsOn = dayOf(Date.now() - (opts.daysAgo ?? 40) * DAY);
  await db.insert(billingAccounts).values({
    partnerId: partner.id,
    startsOn,
    taxBps: opts.taxBps ?? 1200,
    settlement: opts.settlement ?? "invoice",
  });
  await db.insert(ratePlans).values({
    partnerId: partner.id,
    version: 1,
    plan: planOf(opts.plan ?? PLAN),
    effectiveFrom: startsOn,
  });
  return { ...partner, startsOn };
}

/** Metered calls as the metering part writes them: `calls` billable payments calls in the hour of `ms`. */
export async function meter(
  partnerId: string,
  ms: number,
  calls: number,
  outcome: "success" | "refused" = "success",
) {
  await db.insert(meteredUsage).values({
    partnerId,
    hour: `${new Date(ms).toISOString().slice(0, 13)}:00:00Z`,
    product: "payments",
    operation: `createPayment-${crypto.randomUUID().slice(0, 6)}`,
    outcome,
    calls,
  });
}

export const deps = (overrides: Partial<CloseDeps> = {}): CloseDeps => ({
  db,
  environment: "sandbox",
  events: env.EVENTS_QUEUE,
  bucket: env.INVOICES,
  log: createLogger("error"),
  ...overrides,
});

export const close = (partnerId: string, overrides: Partial<CloseDeps> = {}) =>
  closeDuePeriods(deps(overrides), partnerId, { realNow: Date.now(), graceMs: 0 });

export const invoicesOfPartner = (partnerId: string) =>
  db.select().from(invoices).where(eq(invoices.partnerId, partnerId)).orderBy(invoices.periodStart);

export const numberOf = (n: string) => Number(n.slice(-6));
