import { and, eq, getTableColumns, gte, lt, ne, type SQL, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { newestFirst, whenGiven } from "../../platform/db/pages";
import { LIMITER_REFUSALS, type LogProduct, type RequestRecord } from "./model";

// ---------------------------------------------------------------------------- tables
/**
 * Every /v1 request that reached an authenticated partner (docs/usage.md), written after its answer.
 * The id is a UUID v7 of the request's start: it orders rows by time. Bodies only in the sandbox.
 */
export const requestLog = sqliteTable(
  "request_log",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    requestId: text("request_id").notNull(),
    /** When the request arrived (ISO 8601, ms). */
    time: text("time").notNull(),
    method: text("method").notNull(),
    /** The route template (`/v1/payments/:id`); null when no route matched (404 code 31, 405). */
    route: text("route"),
    /** The raw path, without its query string. */
    path: text("path").notNull(),
    product: text("product").$type<LogProduct>().notNull(),
    status: integer("status").notNull(),
    /** The error envelope's code when the answer is an error. */
    errorCode: integer("error_code"),
    latencyMs: integer("latency_ms").notNull(),
    idempotencyKey: text("idempotency_key"),
    apiVersion: text("api_version").notNull(),
    clientId: text("client_id").notNull(),
    requestBody: text("request_body"),
    requestBodyTruncated: integer("request_body_truncated", { mode: "boolean" }).notNull().default(false),
    responseBody: text("response_body"),
    responseBodyTruncated: integer("response_body_truncated", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    index("request_log_partner").on(t.partnerId, t.id),
    index("request_log_partner_time").on(t.partnerId, t.time, t.product, t.status, t.latencyMs, t.errorCode),
    index("request_log_partner_request").on(t.partnerId, t.requestId),
    index("request_log_partner_key")
      .on(t.partnerId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
  ],
);

export type RequestRow = typeof requestLog.$inferSelect;

// --------------------------------------------------------------------------- writes

/** D1 binds at most 100 parameters per statement: rows of 18 columns go in fives. */
const ROWS_PER_STATEMENT = 5;

/** Rows in one D1 batch: one transaction, one commit, however many rows. */
export async function insertRequests(db: Db, rows: readonly RequestRecord[]) {
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    statements.push(db.insert(requestLog).values(rows.slice(i, i + ROWS_PER_STATEMENT)));
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

export const insertRequest = (db: Db, row: RequestRecord) => insertRequests(db, [row]);

/**
 * Deletes up to `limit` rows older than `cutoffId` (a UUID v7 lower bound of the cutoff time),
 * oldest first, by the primary key alone. Returns how many went.
 */
export async function pruneOlderThan(db: Db, cutoffId: string, limit: number): Promise<number> {
  const result = await db.run(sql`
    DELETE FROM request_log WHERE id IN (
      SELECT id FROM request_log WHERE id < ${cutoffId} ORDER BY id LIMIT ${limit}
    )`);
  return result.meta.changes;
}

// ---------------------------------------------------------------------------- reads

export interface RequestFilter {
  startingAfter?: string;
  limit: number;
  status?: number;
  outcome?: "success" | "error";
  method?: string;
  route?: string;
  product?: LogProduct;
  /** `time` at or after (ISO). */
  from?: string;
  /** `time` before (ISO). */
  to?: string;
  requestId?: string;
  idempotencyKey?: string;
  /** Leaves out the log's own reads (product `usage`). */
  hideLogReads?: boolean;
}

/** The list's columns: everything but the bodies. */
const {
  requestBody: _requestBody,
  requestBodyTruncated: _requestBodyTruncated,
  responseBody: _responseBody,
  responseBodyTruncated: _responseBodyTruncated,
  ...listed
} = getTableColumns(requestLog);

export function requestsOf(db: Db, partnerId: string, f: RequestFilter) {
  const outcome: SQL | undefined =
    f.outcome === "success"
      ? lt(requestLog.status, 400)
      : f.outcome === "error"
        ? gte(requestLog.status, 400)
        : undefined;
  const page = newestFirst(
    requestLog,
    partnerId,
    f,
    whenGiven(requestLog.status, f.status),
    outcome,
    whenGiven(requestLog.method, f.method),
    whenGiven(requestLog.route, f.route),
    whenGiven(requestLog.product, f.product),
    f.from !== undefined ? gte(requestLog.time, f.from) : undefined,
    f.to !== undefined ? lt(requestLog.time, f.to) : undefined,
    whenGiven(requestLog.requestId, f.requestId),
    whenGiven(requestLog.idempotencyKey, f.idempotencyKey),
    f.hideLogReads ? ne(requestLog.product, "usage") : undefined,
  );
  return db.select(listed).from(requestLog).where(page.where).orderBy(page.orderBy).limit(page.limit);
}

export async function findRequest(db: Db, partnerId: string, id: string): Promise<RequestRow | undefined> {
  const [row] = await db
    .select()
    .from(requestLog)
    .where(and(eq(requestLog.id, id), eq(requestLog.partnerId, partnerId)))
    .limit(1);
  return row;
}

/** One group's figures; percentiles are null for a group without calls. */
export interface UsageFigures {
  calls: number;
  errors: number;
  errors_4xx: number;
  errors_5xx: number;
  p50: number | null;
  p99: number | null;
}

/**
 * Calls, errors and nearest-rank p50/p99 of the latencies per group of `keys` (`day`, `hour`,
 * `product`; none: the whole span), over [from, to), of one product or all. A group's latencies are ranked (ROW_NUMBER) and the
 * percentile p is the value at rank ⌈p·n/100⌉, in integer SQL: (n·p + 99) / 100.
 */
function figures<T>(db: Db, partnerId: string, from: string, to: string, keys?: SQL, product?: LogProduct) {
  const ofProduct = product === undefined ? sql`` : sql` AND product = ${product}`;
  const partition = keys ? sql`PARTITION BY ${keys} ` : sql``;
  return db.all<T & UsageFigures>(sql`
    WITH span AS (
      SELECT substr(time, 1, 10) AS day, substr(time, 1, 13) || ':00:00Z' AS hour, product, status, latency_ms
      FROM request_log
      WHERE partner_id = ${partnerId} AND time >= ${from} AND time < ${to}${ofProduct}
    ), ranked AS (
      SELECT day, hour, product, status, latency_ms,
        ROW_NUMBER() OVER (${partition}ORDER BY latency_ms) AS rn,
        COUNT(*) OVER (${partition}) AS n
      FROM span
    )
    SELECT ${keys ? sql`${keys}, ` : sql``}COUNT(*) AS calls,
      COALESCE(SUM(status >= 400), 0) AS errors,
      COALESCE(SUM(status >= 400 AND status < 500), 0) AS errors_4xx,
      COALESCE(SUM(status >= 500), 0) AS errors_5xx,
      MAX(CASE WHEN rn = (n * 50 + 99) / 100 THEN latency_ms END) AS p50,
      MAX(CASE WHEN rn = (n * 99 + 99) / 100 THEN latency_ms END) AS p99
    FROM ranked${keys ? sql` GROUP BY ${keys} ORDER BY ${keys}` : sql``}`);
}

/** Per UTC day and product, days ascending. */
export const usageByDayAndProduct = (
  db: Db,
  partnerId: string,
  from: string,
  to: string,
  product?: LogProduct,
) => figures<{ day: string; product: LogProduct }>(db, partnerId, from, to, sql`day, product`, product);

/** Per UTC hour and product, hours ascending (`hour` is the hour's start, `YYYY-MM-DDTHH:00:00Z`). */
export const usageByHourAndProduct = (
  db: Db,
  partnerId: string,
  from: string,
  to: string,
  product?: LogProduct,
) =>
  figures<{ day: string; hour: string; product: LogProduct }>(
    db,
    partnerId,
    from,
    to,
    sql`day, hour, product`,
    product,
  );

/** Per UTC day, every product (or the one asked for) together. */
export const usageByDay = (db: Db, partnerId: string, from: string, to: string, product?: LogProduct) =>
  figures<{ day: string }>(db, partnerId, from, to, sql`day`, product);

/** The whole span (one row, with zero calls when there were none). */
export async function usageTotals(db: Db, partnerId: string, from: string, to: string, product?: LogProduct) {
  const [row] = await figures<object>(db, partnerId, from, to, undefined, product);
  return row ?? { calls: 0, errors: 0, errors_4xx: 0, errors_5xx: 0, p50: null, p99: null };
}

/** Today's calls (from `dayStart`): recorded, counted by the limiter, refused by it, and the busiest second. */
export async function todaysCalls(db: Db, partnerId: string, dayStart: string) {
  const refusals = sql.raw(LIMITER_REFUSALS.join(", "));
  const [row] = await db.all<{
    calls: number;
    counted: number;
    rate_limited: number;
    quota_exceeded: number;
    peak_per_second: number;
  }>(sql`
    SELECT COUNT(*) AS calls,
      COALESCE(SUM(error_code IS NULL OR error_code NOT IN (${refusals})), 0) AS counted,
      COALESCE(SUM(error_code = 40), 0) AS rate_limited,
      COALESCE(SUM(error_code = 41), 0) AS quota_exceeded,
      COALESCE((SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM request_log
        WHERE partner_id = ${partnerId} AND time >= ${dayStart} GROUP BY substr(time, 1, 19))), 0) AS peak_per_second
    FROM request_log WHERE partner_id = ${partnerId} AND time >= ${dayStart}`);
  return row ?? { calls: 0, counted: 0, rate_limited: 0, quota_exceeded: 0, peak_per_second: 0 };
}
