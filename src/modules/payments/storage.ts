import { and, eq } from "drizzle-orm";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
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

// --------------------------------------------------------------------------- queries

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
