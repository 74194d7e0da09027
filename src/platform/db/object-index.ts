import { and, type BuildColumns, eq, sql } from "drizzle-orm";
import { integer, type SQLiteTableWithColumns, text } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import { newestFirst, whenGiven } from "./pages";

/**
 * The columns of a projection that finds a Durable Object by the id of what it holds (a
 * payment, a payout) and lists its state without a call per row. The object is the truth;
 * the row is written before a create is acknowledged and refreshed from the object.
 */
export const objectIndexColumns = () => ({
  id: text("id").primaryKey(),
  partnerId: text("partner_id").notNull(),
  objectName: text("object_name").notNull(),
  status: text("status").notNull(),
  amount: integer("amount").notNull(),
  currency: text("currency").notNull(),
  /** The object's state as of `updated_at`. */
  snapshot: text("snapshot", { mode: "json" }).$type<Record<string, unknown>>(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

type Columns = ReturnType<typeof objectIndexColumns>;
export type ObjectIndexTable = SQLiteTableWithColumns<{
  name: string;
  schema: undefined;
  columns: BuildColumns<string, Columns, "sqlite">;
  dialect: "sqlite";
}>;
export type ObjectIndexRow = ObjectIndexTable["$inferInsert"];

/** Writes or refreshes a projection row; an older state never overwrites a newer one. */
export async function upsertObjectIndex(db: Db, table: ObjectIndexTable, row: ObjectIndexRow) {
  await db
    .insert(table)
    .values(row)
    .onConflictDoUpdate({
      target: table.id,
      set: { status: row.status, snapshot: row.snapshot, updatedAt: row.updatedAt },
      setWhere: sql`${table.updatedAt} <= ${row.updatedAt}`,
    });
}

/** The object's name, only for its own partner: another partner's id is unknown. */
export async function findObjectName(db: Db, table: ObjectIndexTable, partnerId: string, id: string) {
  const [row] = await db
    .select({ objectName: table.objectName })
    .from(table)
    .where(and(eq(table.id, id), eq(table.partnerId, partnerId)))
    .limit(1);
  return row?.objectName;
}

/** A page of the partner's objects' states, newest first. */
export function objectSnapshots(
  db: Db,
  table: ObjectIndexTable,
  partnerId: string,
  opts: { status?: string; startingAfter?: string; limit: number },
) {
  const page = newestFirst(table, partnerId, opts, whenGiven(table.status, opts.status));
  return db
    .select({ snapshot: table.snapshot })
    .from(table)
    .where(page.where)
    .orderBy(page.orderBy)
    .limit(page.limit);
}
