import { type InvoiceLine, line } from "./invoice-line";
import type { PeriodUsage } from "./period-usage";
import type { RatePlan } from "./plan";
import { count } from "./price";
import { money, percent } from "./wording";

/**
 * The revenue share on the period's captured volume net of its refunds (never below zero: the
 * refunds past the captures are answered back, not carried), and the fixed fee per captured
 * transaction, refunded or not.
 */
export function paymentLines(
  plan: RatePlan,
  usage: PeriodUsage,
): { lines: InvoiceLine[]; unappliedRefunds: number } {
  const share = plan.revenue_share;
  const captured = Number(count(usage.captured_minor ?? 0, "captured volume"));
  const refunded = Number(count(usage.refunded_minor ?? 0, "refunds"));
  const transactions = Number(count(usage.transactions ?? 0, "transactions"));
  const net = Math.max(0, captured - refunded);
  const lines: InvoiceLine[] = [];
  if (share && share.bps > 0 && net > 0) {
    const what = `${money(captured, plan.currency)} captured less ${money(refunded, plan.currency)} refunded`;
    lines.push(
      line("revenue_share", `Revenue share, ${percent(share.bps)} of ${what}`, net, {
        minor: share.bps,
        per: 10_000,
      }),
    );
  }
  const fixed = share?.fixed_fee_minor ?? 0;
  if (fixed > 0 && transactions > 0) {
    lines.push(
      line(
        "transaction_fee",
        `${transactions} transactions at ${money(fixed, plan.currency)}`,
        transactions,
        { minor: fixed, per: 1 },
      ),
    );
  }
  return { lines, unappliedRefunds: Math.max(0, refunded - captured) };
}
