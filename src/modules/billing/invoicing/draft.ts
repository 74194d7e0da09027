import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { journalEntries } from "../../ledger/storage";
import { type InvoiceDraft, invoiceLines } from "../invoice-lines";
import { billableCalls } from "../metering/storage";
import type { BillingPeriod } from "../period";
import type { PeriodUsage } from "../period-usage";
import { type BillingTerms, planFor } from "../terms";
import { periodCredits } from "./period-credits";
import type { InvoiceRow } from "./storage";

/**
 * A period's invoice as the pricing engine computes it (docs/billing.md) from what the platform
 * recorded in the period's usage window: the metered calls, and the ledger's captures and refunds
 * in the plan's currency. Reads only; the close issues it.
 */

/** The real-time hours `[from, to)` whose usage an invoice counts, as `metered_usage.hour` keeps them. */
export interface UsageWindow {
  from: string;
  to: string;
}

/** The ledger's form of an hour bound (`…T05:00:00.000Z`), comparable with `created_at` as text. */
const instant = (hour: string) => new Date(hour).toISOString();

/** Captured and refunded volume and captured transactions in the window, in `currency`. */
export async function paymentVolume(db: Db, partnerId: string, currency: string, window: UsageWindow) {
  const rows = await db
    .select({
      kind: journalEntries.kind,
      amount: sql<number>`coalesce(sum(${journalEntries.amount}), 0)`,
      count: sql<number>`count(*)`,
    })
    .from(journalEntries)
    .where(
      and(
        eq(journalEntries.partnerId, partnerId),
        eq(journalEntries.currency, currency),
        inArray(journalEntries.kind, ["capture", "refund"]),
        gte(journalEntries.createdAt, instant(window.from)),
        lt(journalEntries.createdAt, instant(window.to)),
      ),
    )
    .groupBy(journalEntries.kind);
  const of = (kind: string) => rows.find((r) => r.kind === kind);
  return {
    captured_minor: Number(of("capture")?.amount ?? 0),
    refunded_minor: Number(of("refund")?.amount ?? 0),
    transactions: Number(of("capture")?.count ?? 0),
  };
}

/** The draft of `period`: its plan version, usage in `window`, carried and earned credits, tax. */
export async function draftFor(
  db: Db,
  terms: BillingTerms,
  period: BillingPeriod,
  window: UsageWindow,
  previous: InvoiceRow | undefined,
): Promise<InvoiceDraft> {
  const { plan } = planFor(terms, period);
  const [calls, volume, credits] = await Promise.all([
    billableCalls(db, terms.partnerId, window.from, window.to),
    paymentVolume(db, terms.partnerId, plan.currency, window),
    periodCredits(db, {
      partnerId: terms.partnerId,
      tier: terms.tier,
      plan,
      period,
      previous,
      measured: { from: instant(window.from), to: instant(window.to) },
    }),
  ]);
  const usage: PeriodUsage = { calls, ...volume };
  return invoiceLines({ plan, period, usage, credits, tax_bps: terms.taxBps });
}
