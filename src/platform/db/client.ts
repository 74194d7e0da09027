import { type AnyD1Database, type DrizzleD1Database, drizzle } from "drizzle-orm/d1";

/** Queries are built from each module's tables (its storage.ts); no relational schema is registered. */
export type Db = DrizzleD1Database & { $client: AnyD1Database };

// One drizzle instance per binding, not per request.
const instances = new WeakMap<object, Db>();

export function createDb(d1: AnyD1Database): Db {
  let db = instances.get(d1);
  if (!db) {
    db = drizzle(d1);
    instances.set(d1, db);
  }
  return db;
}
