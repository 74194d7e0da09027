import { and, eq } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { newestFirst } from "../../platform/db/pages";
import { insertEventIfChanged, type OutboxEvent } from "../../platform/events/outbox";
import type { Currency } from "../../platform/lib/money";

// --------------------------------------------------------------------------------- fx
/** A firm price for one conversion, good until `expires_at`. One per (partner, Idempotency-Key). */
export const fxQuotes = sqliteTable(
  "fx_quotes",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    sellCurrency: text("sell_currency").$type<Currency>().notNull(),
    buyCurrency: text("buy_currency").$type<Currency>().notNull(),
    sellAmount: integer("sell_amount").notNull(),
    buyAmount: integer("buy_amount").notNull(),
    /** Decimal string: units of the buy currency per one unit of the sell currency. */
    rate: text("rate").notNull(),
    /** Which amount the partner fixed; the other one was computed. */
    fixedSide: text("fixed_side", { enum: ["sell", "buy"] }).notNull(),
    expiresAt: text("expires_at").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("fx_quotes_partner_key").on(t.partnerId, t.idempotencyKey),
    index("fx_quotes_partner").on(t.partnerId, t.id),
  ],
);

/**
 * A conversion of one quote. The row is the claim on the quote: `quote_id` is unique, so
 * of concurrent conversions of one quote exactly one row is ever written.
 */
export const fxConversions = sqliteTable(
  "fx_conversions",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    quoteId: text("quote_id").notNull(),
    status: text("status", { enum: ["pending", "completed"] }).notNull(),
    sellCurrency: text("sell_currency").$type<Currency>().notNull(),
    buyCurrency: text("buy_currency").$type<Currency>().notNull(),
    sellAmount: integer("sell_amount").notNull(),
    buyAmount: integer("buy_amount").notNull(),
    rate: text("rate").notNull(),
    eventId: text("event_id").notNull(),
    completedAt: text("completed_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("fx_conversions_quote").on(t.quoteId),
    uniqueIndex("fx_conversions_partner_key").on(t.partnerId, t.idempotencyKey),
    index("fx_conversions_partner").on(t.partnerId, t.id),
  ],
);

export type FxQuoteRow = typeof fxQuotes.$inferSelect;
export type FxConversionRow = typeof fxConversions.$inferSelect;

/** Inserts the quote unless this partner's key made one already; answers the row either way. */
export async function insertQuote(db: Db, row: typeof fxQuotes.$inferInsert) {
  await db.insert(fxQuotes).values(row).onConflictDoNothing();
  const [stored] = await db
    .select()
    .from(fxQuotes)
    .where(and(eq(fxQuotes.partnerId, row.partnerId), eq(fxQuotes.idempotencyKey, row.idempotencyKey)))
    .limit(1);
  if (!stored) throw new Error("fx quote vanished after insert");
  return stored;
}

/** One of the partner's quotes; another partner's id is unknown. */
export async function findQuote(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(fxQuotes)
    .where(and(eq(fxQuotes.id, id), eq(fxQuotes.partnerId, partnerId)))
    .limit(1);
  return row;
}

export async function quoteIsUsed(db: Db, quoteId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: fxConversions.id })
    .from(fxConversions)
    .where(eq(fxConversions.quoteId, quoteId))
    .limit(1);
  return row !== undefined;
}

/**
 * Claims a live quote for a conversion in one statement: the conversion row is written,
 * with the quote's own amounts, only if the quote is the partner's, has not expired at
 * `now`, and no conversion holds it yet (the unique `quote_id`). Resolves whether this
 * call claimed it.
 */
export async function claimQuote(
  db: Db,
  claim: { id: string; partnerId: string; idempotencyKey: string; quoteId: string; eventId: string },
  now: string,
): Promise<boolean> {
  const result = await db.$client
    .prepare(
      `INSERT INTO fx_conversions (id, partner_id, livemode, idempotency_key, quote_id, status,
         sell_currency, buy_currency, sell_amount, buy_amount, rate, event_id, created_at)
       SELECT ?, q.partner_id, q.livemode, ?, q.id, 'pending', q.sell_currency, q.buy_currency,
         q.sell_amount, q.buy_amount, q.rate, ?, ?
       FROM fx_quotes q WHERE q.id = ? AND q.partner_id = ? AND q.expires_at > ?
       ON CONFLICT DO NOTHING`,
    )
    .bind(claim.id, claim.idempotencyKey, claim.eventId, now, claim.quoteId, claim.partnerId, now)
    .run();
  return (result.meta.changes ?? 0) > 0;
}

/** Gives a quote back: the pending conversion that held it never moved money. */
export async function releaseQuote(db: Db, conversionId: string) {
  await db
    .delete(fxConversions)
    .where(and(eq(fxConversions.id, conversionId), eq(fxConversions.status, "pending")));
}

export async function findConversion(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(fxConversions)
    .where(and(eq(fxConversions.id, id), eq(fxConversions.partnerId, partnerId)))
    .limit(1);
  return row;
}

export async function findConversionByKey(db: Db, partnerId: string, idempotencyKey: string) {
  const [row] = await db
    .select()
    .from(fxConversions)
    .where(and(eq(fxConversions.partnerId, partnerId), eq(fxConversions.idempotencyKey, idempotencyKey)))
    .limit(1);
  return row;
}

/** A page of the partner's conversions, newest first (`limit + 1` rows to tell whether there is more). */
export function conversionPage(db: Db, partnerId: string, opts: { startingAfter?: string; limit: number }) {
  const page = newestFirst(fxConversions, partnerId, opts);
  return db.select().from(fxConversions).where(page.where).orderBy(page.orderBy).limit(page.limit);
}

/**
 * Marks the conversion completed (once) with its event put in the event outbox in the same
 * batch: both commit, or neither. Answers the conversion as it stands.
 */
export async function completeConversion(db: Db, row: FxConversionRow, at: string, event: OutboxEvent) {
  await db.batch([
    db
      .update(fxConversions)
      .set({ status: "completed", completedAt: at })
      .where(and(eq(fxConversions.id, row.id), eq(fxConversions.status, "pending"))),
    insertEventIfChanged(db, event, { table: fxConversions, idColumn: fxConversions.id, id: row.id }),
  ]);
  return (await findConversion(db, row.partnerId, row.id)) ?? row;
}
