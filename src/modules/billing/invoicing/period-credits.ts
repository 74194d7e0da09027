import type { Credit } from "../credits";
import type { BillingPeriod } from "../period";
import type { InvoiceRow } from "./storage";

/**
 * The credits a period's invoice applies, in order (docs/invoices.md): what the previous invoice
 * could not take (its `unapplied_credits`), carried forward, then the period's own. The period's
 * own service credits for missed SLA targets come from the SLA part: the merge wires them here,
 * and until then a period earns none.
 */
export async function periodCredits(input: {
  partnerId: string;
  period: BillingPeriod;
  previous: InvoiceRow | undefined;
}): Promise<Credit[]> {
  const carried = input.previous?.unappliedCredits ?? [];
  const earned: Credit[] = [];
  return [...carried, ...earned];
}
