import { index, sqliteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import {
  findObjectName,
  type ObjectIndexRow,
  objectIndexColumns,
  objectSnapshots,
  upsertObjectIndex,
} from "../../platform/db/object-index";

// ---------------------------------------------------------------------------- tables
/** Where each payout lives (its Durable Object) and a projection of its state for lists. */
export const payouts = sqliteTable("payouts", objectIndexColumns(), (t) => [
  index("payouts_partner").on(t.partnerId, t.id),
]);

// --------------------------------------------------------------------------- queries

export const upsertPayoutIndex = (db: Db, row: ObjectIndexRow) => upsertObjectIndex(db, payouts, row);

export const findPayoutObject = (db: Db, partnerId: string, payoutId: string) =>
  findObjectName(db, payouts, partnerId, payoutId);

/** A page of the partner's payouts, newest first (`limit + 1` rows to tell whether there is more). */
export const payoutSnapshots = (
  db: Db,
  partnerId: string,
  opts: { status?: string; startingAfter?: string; limit: number },
) => objectSnapshots(db, payouts, partnerId, opts);
