import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * Keyset pagination over a partner's rows, the one way every list reads a page: newest first
 * (ids are UUID v7, so the id orders by creation), strictly after `startingAfter`, and one row
 * more than `limit` so the list can tell whether there is more. `filters` narrow it further.
 */
export function newestFirst(
  table: { id: SQLiteColumn; partnerId: SQLiteColumn },
  partnerId: string,
  page: { startingAfter?: string; limit: number },
  ...filters: (SQL | undefined)[]
) {
  return {
    where: and(
      eq(table.partnerId, partnerId),
      ...filters,
      page.startingAfter !== undefined ? lt(table.id, page.startingAfter) : undefined,
    ),
    orderBy: desc(table.id),
    limit: page.limit + 1,
  };
}

/** An equality filter when its value is given, none otherwise. */
export function whenGiven<T>(column: SQLiteColumn, value: T | undefined): SQL | undefined {
  return value === undefined ? undefined : eq(column, value);
}
