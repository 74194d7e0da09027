import type { InvoiceLineRow, InvoiceRow } from "./storage";

/**
 * An invoice or credit note as the API, its events and its PDF show it (docs/invoices.md): amounts
 * in the currency's minor units, dates as the partner's billing clock had them.
 */
export interface InvoiceView {
  id: string;
  object: "invoice" | "credit_note";
  number: string;
  status: "issued" | "paid";
  partner_id: string;
  period: { start: string; end: string };
  plan_version: number;
  currency: string;
  subtotal: number;
  credited: number;
  tax_bps: number;
  tax: number;
  total: number;
  unapplied_credits: { description: string; amount_minor: number }[];
  unapplied_refunds_minor: number;
  credit_note_for: string | null;
  reason: string | null;
  settlement: "invoice" | "balance";
  issued_at: string;
  paid_at: string | null;
  livemode: boolean;
}

export interface InvoiceLineView {
  position: number;
  kind: string;
  description: string;
  product: string | null;
  tier: number | null;
  quantity: number;
  unit_price: { minor: number; per: number };
  amount: number;
}

export const invoiceView = (row: InvoiceRow, livemode: boolean): InvoiceView => ({
  id: row.id,
  object: row.kind === "credit_note" ? "credit_note" : "invoice",
  number: row.number,
  status: row.status,
  partner_id: row.partnerId,
  period: { start: row.periodStart, end: row.periodEnd },
  plan_version: row.planVersion,
  currency: row.currency,
  subtotal: row.subtotal,
  credited: row.credited,
  tax_bps: row.taxBps,
  tax: row.tax,
  total: row.total,
  unapplied_credits: row.unappliedCredits,
  unapplied_refunds_minor: row.unappliedRefundsMinor,
  credit_note_for: row.creditNoteFor,
  reason: row.reason,
  settlement: row.settlement,
  issued_at: row.issuedAt,
  paid_at: row.paidAt,
  livemode,
});

export const lineView = (l: InvoiceLineRow): InvoiceLineView => ({
  position: l.position,
  kind: l.kind,
  description: l.description,
  product: l.product,
  tier: l.tier,
  quantity: l.quantity,
  unit_price: { minor: l.unitPriceMinor, per: l.unitPricePer },
  amount: l.amount,
});
