import type { Db } from "../../../platform/db/client";
import { addMonths, formatDate } from "../calendar";
import { invoicesInPeriods, linesOfMany } from "./storage";

/**
 * The platform team's revenue view (docs/invoices.md): per partner, month (of the period's start)
 * and currency, what was invoiced by product, with the fees and the revenue share as rows of their
 * own, the credit notes against those invoices, and how much is paid and outstanding.
 */

export const MAX_REVENUE_MONTHS = 24;

const rowOfLine = (kind: string, product: string | null): string => {
  if (product && (kind === "usage" || kind === "included_calls")) return product;
  if (kind === "setup_fee" || kind === "recurring_fee") return "fees";
  if (kind === "revenue_share" || kind === "transaction_fee") return "revenue_share";
  if (kind === "minimum_commitment") return "minimum_commitment";
  return "credits";
};

export interface RevenueMonth {
  partner_id: string;
  month: string;
  currency: string;
  /** Invoiced per product or charge, before tax; credits (SLA, goodwill) negative. */
  lines: { product: string; amount_minor: number }[];
  invoices: number;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  /** The totals of the credit notes against these invoices (tax included). */
  credit_notes_minor: number;
  /** The totals of the invoices paid. */
  paid_minor: number;
  /** What the unpaid invoices still ask for: their totals less their credit notes, never below 0. */
  outstanding_minor: number;
  status: "paid" | "outstanding";
}

/** `YYYY-MM` months `from` to `to` inclusive as `[first day, day after the last month)`. */
export function monthRange(from: string, to: string) {
  const start = `${from}-01`;
  const [y, m] = to.split("-").map(Number);
  const end = formatDate(addMonths({ year: y ?? 0, month: m ?? 1, day: 1 }, 1));
  const months = ((y ?? 0) - Number(from.slice(0, 4))) * 12 + ((m ?? 1) - Number(from.slice(5, 7))) + 1;
  return { start, end, months };
}

export async function revenueView(
  db: Db,
  from: string,
  to: string,
  partnerId?: string,
): Promise<RevenueMonth[]> {
  const { start, end } = monthRange(from, to);
  const docs = await invoicesInPeriods(db, start, end, partnerId ? [partnerId] : undefined);
  const invoicesOnly = docs.filter((d) => d.kind === "invoice");
  const lines = await linesOfMany(
    db,
    invoicesOnly.map((d) => d.id),
  );
  const notesFor = new Map<string, number>();
  for (const d of docs)
    if (d.kind === "credit_note" && d.creditNoteFor)
      notesFor.set(d.creditNoteFor, (notesFor.get(d.creditNoteFor) ?? 0) + d.total);
  const groups = new Map<string, RevenueMonth & { byRow: Map<string, number> }>();
  for (const inv of invoicesOnly) {
    const month = inv.periodStart.slice(0, 7);
    const key = `${inv.partnerId}|${month}|${inv.currency}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        partner_id: inv.partnerId,
        month,
        currency: inv.currency,
        lines: [],
        invoices: 0,
        subtotal_minor: 0,
        tax_minor: 0,
        total_minor: 0,
        credit_notes_minor: 0,
        paid_minor: 0,
        outstanding_minor: 0,
        status: "paid",
        byRow: new Map(),
      };
      groups.set(key, g);
    }
    const credited = notesFor.get(inv.id) ?? 0;
    g.invoices += 1;
    g.subtotal_minor += inv.subtotal;
    g.tax_minor += inv.tax;
    g.total_minor += inv.total;
    g.credit_notes_minor += credited;
    if (inv.status === "paid") g.paid_minor += inv.total;
    else g.outstanding_minor += Math.max(0, inv.total - credited);
    for (const l of lines)
      if (l.invoiceId === inv.id) {
        const row = rowOfLine(l.kind, l.product);
        g.byRow.set(row, (g.byRow.get(row) ?? 0) + l.amount);
      }
  }
  return [...groups.values()].map(({ byRow, ...g }) => ({
    ...g,
    lines: [...byRow].map(([product, amount_minor]) => ({ product, amount_minor })),
    status: g.outstanding_minor > 0 ? ("outstanding" as const) : ("paid" as const),
  }));
}
