import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../platform/db/client";
import { newestFirst } from "../../../platform/db/pages";
import type { Credit } from "../credits";
import type { LineKind } from "../invoice-line";

// ---------------------------------------------------------------------------- tables
/** Invoices and credit notes (migration 0036, docs/invoices.md): immutable once issued. */
export const invoices = sqliteTable("invoices", {
  id: text("id").primaryKey(),
  partnerId: text("partner_id").notNull(),
  kind: text("kind", { enum: ["invoice", "credit_note"] }).notNull(),
  /** `INV-2026-000001` or `CN-2026-000001`: gapless per environment, year and series. */
  number: text("number").notNull(),
  status: text("status", { enum: ["issued", "paid"] }).notNull(),
  periodStart: text("period_start").notNull(),
  periodEnd: text("period_end").notNull(),
  planVersion: integer("plan_version").notNull(),
  currency: text("currency").notNull(),
  subtotal: integer("subtotal").notNull(),
  credited: integer("credited").notNull(),
  taxBps: integer("tax_bps").notNull(),
  tax: integer("tax").notNull(),
  total: integer("total").notNull(),
  unappliedCredits: text("unapplied_credits", { mode: "json" }).$type<Credit[]>().notNull(),
  unappliedRefundsMinor: integer("unapplied_refunds_minor").notNull(),
  /** The real-time hours `[usage_from, usage_to)` whose metered calls the invoice counts. */
  usageFrom: text("usage_from").notNull(),
  usageTo: text("usage_to").notNull(),
  creditNoteFor: text("credit_note_for"),
  reason: text("reason"),
  settlement: text("settlement", { enum: ["invoice", "balance"] }).notNull(),
  pdfKey: text("pdf_key"),
  /** The journal entry; null for a document of total 0, which posts nothing. */
  ledgerEntryId: text("ledger_entry_id"),
  /** The partner's billing time at issue (real time, or its sandbox test clock). */
  issuedAt: text("issued_at").notNull(),
  paidAt: text("paid_at"),
  createdAt: text("created_at").notNull(),
});

export const invoiceLines = sqliteTable(
  "invoice_lines",
  {
    invoiceId: text("invoice_id").notNull(),
    position: integer("position").notNull(),
    kind: text("kind").$type<LineKind>().notNull(),
    description: text("description").notNull(),
    product: text("product"),
    tier: integer("tier"),
    quantity: integer("quantity").notNull(),
    unitPriceMinor: integer("unit_price_minor").notNull(),
    unitPricePer: integer("unit_price_per").notNull(),
    amount: integer("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.position] })],
);

export const invoiceCounters = sqliteTable(
  "invoice_counters",
  {
    environment: text("environment").notNull(),
    year: integer("year").notNull(),
    series: text("series").notNull(),
    next: integer("next").notNull(),
  },
  (t) => [primaryKey({ columns: [t.environment, t.year, t.series] })],
);

export const billingClocks = sqliteTable("billing_clocks", {
  partnerId: text("partner_id").primaryKey(),
  offsetMs: integer("offset_ms").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;

// --------------------------------------------------------------------------- queries

export async function findInvoice(db: Db, id: string): Promise<InvoiceRow | undefined> {
  const [row] = await db.select().from(invoices).where(eq(invoices.id, id));
  return row;
}

/** The partner's own document: another partner's is as good as absent. */
export async function findPartnerInvoice(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, id), eq(invoices.partnerId, partnerId)));
  return row;
}

export function linesOf(db: Db, invoiceId: string): Promise<InvoiceLineRow[]> {
  return db
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoiceId))
    .orderBy(asc(invoiceLines.position));
}

/** The partner's latest invoice (not credit note): where the next close counts usage from. */
export async function latestInvoice(db: Db, partnerId: string): Promise<InvoiceRow | undefined> {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.partnerId, partnerId), eq(invoices.kind, "invoice")))
    .orderBy(desc(invoices.periodStart))
    .limit(1);
  return row;
}

/** A partner's documents, newest first, one page (`limit + 1` rows). */
export function invoicesOf(db: Db, partnerId: string, page: { startingAfter?: string; limit: number }) {
  const p = newestFirst(invoices, partnerId, page);
  return db.select().from(invoices).where(p.where).orderBy(p.orderBy).limit(p.limit);
}

/** Issued documents whose PDF was not made yet (a crash after the issue): what the close makes next. */
export function invoicesWithoutPdf(db: Db, limit: number) {
  return db.select().from(invoices).where(isNull(invoices.pdfKey)).orderBy(asc(invoices.id)).limit(limit);
}

export async function setPdfKey(db: Db, id: string, key: string) {
  await db
    .update(invoices)
    .set({ pdfKey: key })
    .where(and(eq(invoices.id, id), isNull(invoices.pdfKey)));
}

/** What credit notes already took of an invoice (their totals). */
export async function creditedByNotes(db: Db, invoiceId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${invoices.total}), 0)` })
    .from(invoices)
    .where(and(eq(invoices.creditNoteFor, invoiceId), eq(invoices.kind, "credit_note")));
  return Number(row?.total ?? 0);
}

/** The partner's test clock: its offset in ms and the real time it was last moved (0 and 0 without one). */
export async function clockOf(db: Db, partnerId: string): Promise<{ offsetMs: number; movedAt: number }> {
  const [row] = await db.select().from(billingClocks).where(eq(billingClocks.partnerId, partnerId));
  return row ? { offsetMs: row.offsetMs, movedAt: Date.parse(row.updatedAt) } : { offsetMs: 0, movedAt: 0 };
}

/** Moves the test clock forward by `ms`; answers the new offset. */
export async function advanceClock(db: Db, partnerId: string, ms: number): Promise<number> {
  const now = new Date().toISOString();
  const [row] = await db
    .insert(billingClocks)
    .values({ partnerId, offsetMs: ms, updatedAt: now })
    .onConflictDoUpdate({
      target: billingClocks.partnerId,
      set: { offsetMs: sql`${billingClocks.offsetMs} + ${ms}`, updatedAt: now },
    })
    .returning({ offsetMs: billingClocks.offsetMs });
  return row?.offsetMs ?? ms;
}

/** Documents of the given partners (or all) whose period starts in `[from, to)`: the revenue view. */
export function invoicesInPeriods(db: Db, from: string, to: string, partnerIds?: string[]) {
  return db
    .select()
    .from(invoices)
    .where(
      and(
        gte(invoices.periodStart, from),
        lt(invoices.periodStart, to),
        partnerIds ? inArray(invoices.partnerId, partnerIds) : undefined,
      ),
    )
    .orderBy(asc(invoices.partnerId), asc(invoices.periodStart), asc(invoices.id));
}

export function linesOfMany(db: Db, invoiceIds: string[]) {
  if (invoiceIds.length === 0) return Promise.resolve([] as InvoiceLineRow[]);
  return db
    .select()
    .from(invoiceLines)
    .where(inArray(invoiceLines.invoiceId, invoiceIds))
    .orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.position));
}
