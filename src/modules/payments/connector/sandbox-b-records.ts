import { eq, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../platform/db/client";
import type { Answered } from "./types";

/**
 * The second sandbox acquirer's own books (migrations/0042): one row per attempt it received, by
 * the attempt's idempotency key, as a real acquirer keeps them on its side. `status`: the answer's
 * outcome, or `voided` (a void by key, recorded even before the attempt arrives, so it cannot
 * authorize late). Only the acquirer simulator reads and writes it.
 */
export const sandboxAcquirerAttempts = sqliteTable(
  "sandbox_acquirer_attempts",
  {
    idempotencyKey: text("idempotency_key").primaryKey(),
    paymentId: text("payment_id").notNull(),
    status: text("status").notNull(),
    reference: text("reference").notNull(),
    /** The answer given (JSON of `Answered`), replayed to a resend of the same attempt. */
    answer: text("answer", { mode: "json" }).$type<Answered>(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    captured: integer("captured").notNull().default(0),
    refunded: integer("refunded").notNull().default(0),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("sandbox_acquirer_attempts_payment").on(t.paymentId),
    index("sandbox_acquirer_attempts_reference").on(t.reference),
  ],
);

export type AcquirerRecord = typeof sandboxAcquirerAttempts.$inferSelect;

export async function findAttempt(db: Db, key: string): Promise<AcquirerRecord | undefined> {
  const [row] = await db
    .select()
    .from(sandboxAcquirerAttempts)
    .where(eq(sandboxAcquirerAttempts.idempotencyKey, key));
  return row;
}

/** Records an attempt once: the first record of a key wins, and is what the key answers after. */
export async function recordAttempt(db: Db, row: typeof sandboxAcquirerAttempts.$inferInsert) {
  await db.insert(sandboxAcquirerAttempts).values(row).onConflictDoNothing();
  return findAttempt(db, row.idempotencyKey);
}

export async function markByReference(
  db: Db,
  reference: string,
  change: { status?: string; captured?: number; refunded?: number },
) {
  await db
    .update(sandboxAcquirerAttempts)
    .set({
      ...(change.status ? { status: change.status } : {}),
      ...(change.captured !== undefined ? { captured: change.captured } : {}),
      ...(change.refunded !== undefined
        ? { refunded: sql`${sandboxAcquirerAttempts.refunded} + ${change.refunded}` }
        : {}),
    })
    .where(eq(sandboxAcquirerAttempts.reference, reference));
}
