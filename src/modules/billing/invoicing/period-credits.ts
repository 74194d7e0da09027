import type { Db } from "../../../platform/db/client";
import type { Credit } from "../credits";
import { recurringFeeOf } from "../invoice-lines";
import type { BillingPeriod } from "../period";
import type { RatePlan } from "../plan";
import { serviceCredits } from "../sla/service-credits";
import type { Tier } from "../sla/targets";
import type { InvoiceRow } from "./storage";

/**
 * The credits a period's invoice applies, in order (docs/invoices.md): what the previous invoice
 * could not take (its `unapplied_credits`), carried forward, then the period's own service
 * credits, one per SLA target the tier missed over the period's days (docs/sla.md), each a share
 * of the period's recurring fee as invoiced, measured over the real time the invoice counts.
 */
export async function periodCredits(
  db: Db,
  input: {
    partnerId: string;
    tier: Tier;
    plan: RatePlan;
    period: BillingPeriod;
    previous: InvoiceRow | undefined;
    measured: { from: string; to: string };
  },
): Promise<Credit[]> {
  const carried = input.previous?.unappliedCredits ?? [];
  const fee = recurringFeeOf(input.plan, input.period);
  const earned = await serviceCredits(db, input.partnerId, input.tier, input.period, fee, input.measured);
  return [...carried, ...earned];
}
