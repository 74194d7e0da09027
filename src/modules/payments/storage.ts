import { and, eq } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import {
  findObjectName,
  type ObjectIndexRow,
  objectIndexColumns,
  objectSnapshots,
  upsertObjectIndex,
} from "../../platform/db/object-index";
import { partners } from "../partners/storage";

// ---------------------------------------------------------------------------- tables
/**
 * Where each payment lives (its Durable Object) and a projection of its state for lists.
 * The Durable Object is the truth; this row is written before a create is acknowledged
 * and updated from the object's outbox.
 */
export const payments = sqliteTable("payments", objectIndexColumns(), (t) => [
  index("payments_partner").on(t.partnerId, t.id),
  index("payments_partner_status").on(t.partnerId, t.status, t.id),
]);

/** Where each refund's payment object lives, so a refund can be found by its own id. */
export const refunds = sqliteTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    paymentId: text("payment_id").notNull(),
    objectName: text("object_name").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("refunds_payment").on(t.paymentId)],
);

/**
 * One row per authorization attempt at an acquirer (`seq` counts a payment's attempts from 1;
 * `fallback` is 1 for every attempt after the first). `outcome`: `authorized`, `requires_action`,
 * `pending`, `declined`, `error` (5xx, `bank_unavailable`) or `timeout`. Written by the payment's
 * object; read by operational metrics.
 */
export const paymentAttempts = sqliteTable(
  "payment_attempts",
  {
    id: text("id").primaryKey(),
    paymentId: text("payment_id").notNull(),
    partnerId: text("partner_id").notNull(),
    seq: integer("seq").notNull(),
    provider: text("provider").notNull(),
    outcome: text("outcome").notNull(),
    declineReason: text("decline_reason"),
    fallback: integer("fallback").notNull().default(0),
    latencyMs: integer("latency_ms").notNull(),
    method: text("method").notNull(),
    cardBrand: text("card_brand"),
    binCountry: text("bin_country"),
    currency: text("currency").notNull(),
    amount: integer("amount").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("payment_attempts_payment_seq").on(t.paymentId, t.seq),
    index("payment_attempts_partner_time").on(t.partnerId, t.createdAt),
    index("payment_attempts_provider_time").on(t.provider, t.createdAt),
  ],
);

// --------------------------------------------------------------------------- queries

/** Records a payment's attempts; writing the same attempt again changes nothing. */
export async function insertPaymentAttempts(db: Db, rows: (typeof paymentAttempts.$inferInsert)[]) {
  if (rows.length > 0) await db.insert(paymentAttempts).values(rows).onConflictDoNothing();
}

export const upsertPaymentIndex = (db: Db, row: ObjectIndexRow) => upsertObjectIndex(db, payments, row);

export const findPaymentObject = (db: Db, partnerId: string, paymentId: string) =>
  findObjectName(db, payments, partnerId, paymentId);

/**
 * Whose payment this is (partner id and name), by its id alone: only for the sandbox's
 * customer pages, which carry no partner token but a signature of the payment id.
 */
export async function findPaymentOwner(db: Db, paymentId: string) {
  const [row] = await db
    .select({ partnerId: payments.partnerId, merchantName: partners.name })
    .from(payments)
    .innerJoin(partners, eq(partners.id, payments.partnerId))
    .where(eq(payments.id, paymentId))
    .limit(1);
  return row;
}

export async function insertRefundIndex(db: Db, row: typeof refunds.$inferInsert) {
  await db.insert(refunds).values(row).onConflictDoNothing();
}

/** The refund's payment object, only for its own partner. */
export async function findRefundObject(db: Db, partnerId: string, refundId: string) {
  const [row] = await db
    .select({ objectName: refunds.objectName })
    .from(refunds)
    .where(and(eq(refunds.id, refundId), eq(refunds.partnerId, partnerId)))
    .limit(1);
  return row?.objectName;
}

/** A page of the partner's payments, newest first (`limit + 1` rows to tell whether there is more). */
export const paymentSnapshots = (
  db: Db,
  partnerId: string,
  opts: { status?: string; startingAfter?: string; limit: number },
) => objectSnapshots(db, payments, partnerId, opts);
