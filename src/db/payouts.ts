import { and, eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { payouts } from "./schema";

/** Writes or refreshes a payout's row; an older status never overwrites a newer one. */
export async function upsertPayoutIndex(db: Db, row: typeof payouts.$inferInsert) {
  await db
    .insert(payouts)
    .values(row)
    .onConflictDoUpdate({
      target: payouts.id,
      set: { status: row.status, updatedAt: row.updatedAt },
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
