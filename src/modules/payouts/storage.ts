import { and, eq, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { newestFirst, whenGiven } from "../../platform/db/pages";

// ---------------------------------------------------------------------------- tables
/** Where each payout lives (its Durable Object) and a projection of its state for lists. */
export const payouts = sqliteTable(
  "payouts",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    objectName: text("object_name").notNull(),
    status: text("status").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    /** The payout object as of `updated_at`, for lists without a Durable Object call per row. */
    snapshot: text("snapshot", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("payouts_partner").on(t.partnerId, t.id)],
);

// --------------------------------------------------------------------------- queries

/** Writes or refreshes a payout's projection; an older status never overwrites a newer one. */
export async function upsertPayoutIndex(db: Db, row: typeof payouts.$inferInsert) {
  await db
    .insert(payouts)
    .values(row)
    .onConflictDoUpdate({
      target: payouts.id,
      set: { status: row.status, snapshot: row.snapshot, updatedAt: row.updatedAt },
      setWhere: sql`${payouts.updatedAt} <= ${row.updatedAt}`,
    });
}

/** The payout's object name, only for its own partner: another partner's id is unknown. */
export async function findPayoutObject(db: Db, partnerId: string, payoutId: string) {
  const [row] = await db
    .select({ objectName: payouts.objectName })
    .from(payouts)
    .where(and(eq(payouts.id, payoutId), eq(payouts.partnerId, partnerId)))
    .limit(1);
  return row?.objectName;
}

/** A page of the partner's payouts, newest first (`limit + 1` rows to tell whether there is more). */
export function payoutSnapshots(
  db: Db,
  partnerId: string,
  opts: { status?: string; startingAfter?: string; limit: number },
) {
  const page = newestFirst(payouts, partnerId, opts, whenGiven(payouts.status, opts.status));
  return db
    .select({ snapshot: payouts.snapshot })
    .from(payouts)
    .where(page.where)
    .orderBy(page.orderBy)
    .limit(page.limit);
}
