import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Product } from "../../../platform/catalog";
import type { Db } from "../../../platform/db/client";

// ---------------------------------------------------------------------------- tables
/** A partner's calls per UTC hour × product × operation × outcome (migration 0034, docs/billing.md). */
export const meteredUsage = sqliteTable(
  "metered_usage",
  {
    partnerId: text("partner_id").notNull(),
    /** The hour's start, `YYYY-MM-DDTHH:00:00Z`. */
    hour: text("hour").notNull(),
    product: text("product").notNull(),
    /** The route's operation id (`createPayment`). */
    operation: text("operation").notNull(),
    outcome: text("outcome").$type<Outcome>().notNull(),
    calls: integer("calls").notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.hour, t.product, t.operation, t.outcome] })],
);

export const OUTCOMES = ["success", "client_error", "server_error", "refused"] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** What is billed: every call answered, whatever its answer; never a refusal by a limiter or quota. */
export const BILLABLE_OUTCOMES: readonly Outcome[] = ["success", "client_error", "server_error"];

/** The hour a time falls in, as `metered_usage.hour` keeps it. */
export const hourOf = (ms: number) => `${new Date(ms).toISOString().slice(0, 13)}:00:00Z`;

/** A partner's billable rows in `[from, to)`: what every billable count reads. */
const billableIn = (partnerId: string, from: string, to: string) =>
  and(
    eq(meteredUsage.partnerId, partnerId),
    gte(meteredUsage.hour, from),
    lt(meteredUsage.hour, to),
    inArray(meteredUsage.outcome, [...BILLABLE_OUTCOMES]),
  );

/**
 * A partner's billable calls per product in `[from, to)`: bounds are hours (`hourOf`) or days
 * (`YYYY-MM-DD`, the day's first hour), compared as text.
 */
export async function billableCalls(
  db: Db,
  partnerId: string,
  from: string,
  to: string,
): Promise<Partial<Record<Product, number>>> {
  const rows = await db
    .select({ product: meteredUsage.product, calls: sql<number>`sum(${meteredUsage.calls})` })
    .from(meteredUsage)
    .where(billableIn(partnerId, from, to))
    .groupBy(meteredUsage.product);
  return Object.fromEntries(rows.map((r) => [r.product, Number(r.calls)]));
}

/** Billable calls of one UTC hour (or day) and product. */
export interface BillableRow {
  /** `YYYY-MM-DDTHH:00:00Z`, or `YYYY-MM-DD` per day. */
  period: string;
  product: string;
  billable: number;
}

/**
 * A partner's billable calls in `[from, to)` (bounds as `billableCalls` takes them) per hour or
 * UTC day and product, of one product or all, periods ascending: the usage report's `billable`.
 */
export async function billableByPeriod(
  db: Db,
  partnerId: string,
  from: string,
  to: string,
  granularity: "hour" | "day",
  product?: string,
): Promise<BillableRow[]> {
  const period =
    granularity === "hour" ? meteredUsage.hour : sql<string>`substr(${meteredUsage.hour}, 1, 10)`;
  const rows = await db
    .select({
      period: sql<string>`${period}`,
      product: meteredUsage.product,
      billable: sql<number>`sum(${meteredUsage.calls})`,
    })
    .from(meteredUsage)
    .where(
      and(
        billableIn(partnerId, from, to),
        product === undefined ? undefined : eq(meteredUsage.product, product),
      ),
    )
    .groupBy(sql`1`, meteredUsage.product)
    .orderBy(sql`1`, meteredUsage.product);
  return rows.map((r) => ({ period: r.period, product: r.product, billable: Number(r.billable) }));
}

/** The windows counted (migration 0034): a message's id, claimed by the delivery that applied it. */
export const meteredWindows = sqliteTable("metered_windows", {
  id: text("id").primaryKey(),
  token: text("token").notNull(),
  appliedAt: integer("applied_at").notNull(),
});

/** The keyed calls counted: the SHA-256 of an idempotency scope, claimed by the delivery that counted it. */
export const meteredCalls = sqliteTable("metered_calls", {
  scope: text("scope").primaryKey(),
  token: text("token").notNull(),
  countedAt: integer("counted_at").notNull(),
});

/** Deletes up to `limit` rows of `table` older than `before` (ms), oldest first; answers how many. */
export async function pruneDedupeRows(
  db: Db,
  table: "metered_windows" | "metered_calls",
  before: number,
  limit: number,
): Promise<number> {
  const [key, at] = table === "metered_windows" ? ["id", "applied_at"] : ["scope", "counted_at"];
  const result = await db.$client
    .prepare(
      `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${at} < ?1 ORDER BY ${at} LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return result.meta.changes ?? 0;
}
