import { and, asc, desc, eq, gt, lt, type SQL } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import type { ExceptionKind, ExceptionStatus, ItemKind, LineType, ResolutionReason } from "./model";

// ---------------------------------------------------------------------------- tables
// Migration 0044_reconciliation.sql. A report is stored whole or not at all; a run, its items and
// its exceptions are written in one D1 batch.

/** A provider's settlement report for one day: its raw text and where it came from. */
export const settlementReports = sqliteTable(
  "settlement_reports",
  {
    id: text("id").primaryKey(),
    provider: text("provider").notNull(),
    settlementDate: text("settlement_date").notNull(),
    sha256: text("sha256").notNull(),
    /** `upload` (the admin API) or `scheduled` (the daily fetch from a settlement source). */
    source: text("source", { enum: ["upload", "scheduled"] }).notNull(),
    lineCount: integer("line_count").notNull(),
    raw: text("raw").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("settlement_reports_content").on(t.sha256, t.provider, t.settlementDate),
    index("settlement_reports_day").on(t.provider, t.settlementDate),
  ],
);

export const settlementReportLines = sqliteTable(
  "settlement_report_lines",
  {
    reportId: text("report_id").notNull(),
    line: integer("line").notNull(),
    type: text("type").$type<LineType>().notNull(),
    providerReference: text("provider_reference").notNull(),
    paymentId: text("payment_id").notNull(),
    refundId: text("refund_id"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    fee: integer("fee").notNull(),
    net: integer("net").notNull(),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.line] })],
);

export type RunCounts = Partial<Record<ItemKind, number>>;

export const reconciliationRuns = sqliteTable(
  "reconciliation_runs",
  {
    id: text("id").primaryKey(),
    reportId: text("report_id").notNull(),
    provider: text("provider").notNull(),
    settlementDate: text("settlement_date").notNull(),
    counts: text("counts", { mode: "json" }).$type<RunCounts>().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("reconciliation_runs_report").on(t.reportId, t.id)],
);

export const reconciliationExceptions = sqliteTable(
  "reconciliation_exceptions",
  {
    id: text("id").primaryKey(),
    /** What makes two runs' findings the same exception (docs/reconciliation.md). */
    fingerprint: text("fingerprint").notNull(),
    kind: text("kind").$type<ExceptionKind>().notNull(),
    provider: text("provider").notNull(),
    settlementDate: text("settlement_date"),
    paymentId: text("payment_id"),
    refundId: text("refund_id"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text("status").$type<ExceptionStatus>().notNull(),
    firstRunId: text("first_run_id").notNull(),
    lastRunId: text("last_run_id").notNull(),
    resolutionReason: text("resolution_reason").$type<ResolutionReason>(),
    resolutionNote: text("resolution_note"),
    resolvedBy: text("resolved_by"),
    resolvedAt: text("resolved_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("reconciliation_exceptions_fingerprint").on(t.fingerprint),
    index("reconciliation_exceptions_status").on(t.status, t.id),
  ],
);

export const reconciliationItems = sqliteTable(
  "reconciliation_items",
  {
    id: text("id").primaryKey(),
    runId: text("run_id").notNull(),
    kind: text("kind").$type<ItemKind>().notNull(),
    line: integer("line"),
    paymentId: text("payment_id"),
    refundId: text("refund_id"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    exceptionId: text("exception_id"),
  },
  (t) => [index("reconciliation_items_run").on(t.runId, t.kind, t.id)],
);

export type ReportRow = typeof settlementReports.$inferSelect;
export type LineRow = typeof settlementReportLines.$inferSelect;
export type RunRow = typeof reconciliationRuns.$inferSelect;
export type ItemRow = typeof reconciliationItems.$inferSelect;
export type ExceptionRow = typeof reconciliationExceptions.$inferSelect;

// --------------------------------------------------------------------------- reports

const LINE_COLUMNS = [
  "report_id",
  "line",
  "type",
  "provider_reference",
  "payment_id",
  "refund_id",
  "amount",
  "currency",
  "fee",
  "net",
] as const;

/** Rows of a JSON array as one INSERT … SELECT: one bound parameter however many rows. */
const fromJson = (columns: readonly string[]) =>
  `SELECT ${columns.map((c) => `json_extract(value, '$.${c}')`).join(", ")} FROM json_each(?)`;

/**
 * Stores a report and its lines in one batch, unless the same file for the same provider and day
 * is stored already: answers the report stored, and whether this call stored it.
 */
export async function insertReport(
  db: Db,
  report: ReportRow,
  lines: Omit<LineRow, "reportId">[],
): Promise<{ report: ReportRow; created: boolean }> {
  const d1 = db.$client;
  const rows = lines.map((l) => ({
    report_id: report.id,
    line: l.line,
    type: l.type,
    provider_reference: l.providerReference,
    payment_id: l.paymentId,
    refund_id: l.refundId,
    amount: l.amount,
    currency: l.currency,
    fee: l.fee,
    net: l.net,
  }));
  const [inserted] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO settlement_reports (id, provider, settlement_date, sha256, source, line_count, raw, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .bind(
        report.id,
        report.provider,
        report.settlementDate,
        report.sha256,
        report.source,
        report.lineCount,
        report.raw,
        report.createdBy,
        report.createdAt,
      ),
    d1
      .prepare(
        `INSERT INTO settlement_report_lines (${LINE_COLUMNS.join(", ")}) ${fromJson(LINE_COLUMNS)}
         WHERE EXISTS (SELECT 1 FROM settlement_reports WHERE id = ?)`,
      )
      .bind(JSON.stringify(rows), report.id),
  ]);
  if ((inserted?.meta.changes ?? 0) > 0) return { report, created: true };
  const [existing] = await db
    .select()
    .from(settlementReports)
    .where(
      and(
        eq(settlementReports.sha256, report.sha256),
        eq(settlementReports.provider, report.provider),
        eq(settlementReports.settlementDate, report.settlementDate),
      ),
    );
  if (!existing) throw new Error("settlement report neither inserted nor found");
  return { report: existing, created: false };
}

export async function findReport(db: Db, id: string) {
  const [row] = await db.select().from(settlementReports).where(eq(settlementReports.id, id));
  return row;
}

/** Whether any report of this provider and day is stored (the daily fetch's "done already"). */
export async function hasReportFor(db: Db, provider: string, settlementDate: string) {
  const [row] = await db
    .select({ id: settlementReports.id })
    .from(settlementReports)
    .where(
      and(eq(settlementReports.provider, provider), eq(settlementReports.settlementDate, settlementDate)),
    )
    .limit(1);
  return row !== undefined;
}

export const reportLines = (db: Db, reportId: string) =>
  db
    .select()
    .from(settlementReportLines)
    .where(eq(settlementReportLines.reportId, reportId))
    .orderBy(asc(settlementReportLines.line));

/** Newest first; `limit + 1` rows. */
export function reportPage(db: Db, page: { startingAfter?: string; limit: number; provider?: string }) {
  return db
    .select({
      id: settlementReports.id,
      provider: settlementReports.provider,
      settlementDate: settlementReports.settlementDate,
      sha256: settlementReports.sha256,
      source: settlementReports.source,
      lineCount: settlementReports.lineCount,
      createdBy: settlementReports.createdBy,
      createdAt: settlementReports.createdAt,
    })
    .from(settlementReports)
    .where(
      and(
        page.provider !== undefined ? eq(settlementReports.provider, page.provider) : undefined,
        page.startingAfter !== undefined ? lt(settlementReports.id, page.startingAfter) : undefined,
      ),
    )
    .orderBy(desc(settlementReports.id))
    .limit(page.limit + 1);
}

// ------------------------------------------------------------------------------ runs

export interface ExceptionInput {
  id: string;
  fingerprint: string;
  kind: ExceptionKind;
  paymentId: string | null;
  refundId: string | null;
  settlementDate: string | null;
  detail: Record<string, unknown>;
}

export interface ItemInput {
  id: string;
  kind: ItemKind;
  line: number | null;
  paymentId: string | null;
  refundId: string | null;
  detail: Record<string, unknown>;
  /** The exception this item is (none for a match). */
  fingerprint: string | null;
}

/**
 * A run, its items and its exceptions in one batch. An exception already recorded by an earlier
 * run (same fingerprint) is kept as it is, open or resolved, and only notes this run as its last;
 * each item points at its exception either way.
 */
export async function insertRun(db: Db, run: RunRow, items: ItemInput[], exceptions: ExceptionInput[]) {
  const d1 = db.$client;
  const exceptionRows = exceptions.map((e) => ({
    id: e.id,
    fingerprint: e.fingerprint,
    kind: e.kind,
    provider: run.provider,
    settlement_date: e.settlementDate,
    payment_id: e.paymentId,
    refund_id: e.refundId,
    detail: JSON.stringify(e.detail),
    status: "open",
    first_run_id: run.id,
    last_run_id: run.id,
    created_at: run.createdAt,
  }));
  const itemRows = items.map((i) => ({
    id: i.id,
    run_id: run.id,
    kind: i.kind,
    line: i.line,
    payment_id: i.paymentId,
    refund_id: i.refundId,
    detail: JSON.stringify(i.detail),
    fingerprint: i.fingerprint,
  }));
  const exceptionColumns = Object.keys(exceptionRows[0] ?? { id: "" });
  await d1.batch([
    d1
      .prepare(
        `INSERT INTO reconciliation_runs (id, report_id, provider, settlement_date, counts, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        run.id,
        run.reportId,
        run.provider,
        run.settlementDate,
        JSON.stringify(run.counts),
        run.createdBy,
        run.createdAt,
      ),
    // `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
    d1
      .prepare(
        `INSERT INTO reconciliation_exceptions (${exceptionColumns.join(", ")}) ${fromJson(exceptionColumns)}
         WHERE true ON CONFLICT (fingerprint) DO UPDATE SET last_run_id = excluded.last_run_id`,
      )
      .bind(JSON.stringify(exceptionRows)),
    d1
      .prepare(
        `INSERT INTO reconciliation_items (id, run_id, kind, line, payment_id, refund_id, detail, exception_id)
         SELECT json_extract(value, '$.id'), json_extract(value, '$.run_id'), json_extract(value, '$.kind'),
           json_extract(value, '$.line'), json_extract(value, '$.payment_id'), json_extract(value, '$.refund_id'),
           json_extract(value, '$.detail'),
           (SELECT x.id FROM reconciliation_exceptions x WHERE x.fingerprint = json_extract(value, '$.fingerprint'))
         FROM json_each(?)`,
      )
      .bind(JSON.stringify(itemRows)),
  ]);
}

export async function findRun(db: Db, id: string) {
  const [row] = await db.select().from(reconciliationRuns).where(eq(reconciliationRuns.id, id));
  return row;
}

/** Newest first; `limit + 1` rows. */
export function runPage(db: Db, page: { startingAfter?: string; limit: number; reportId?: string }) {
  return db
    .select()
    .from(reconciliationRuns)
    .where(
      and(
        page.reportId !== undefined ? eq(reconciliationRuns.reportId, page.reportId) : undefined,
        page.startingAfter !== undefined ? lt(reconciliationRuns.id, page.startingAfter) : undefined,
      ),
    )
    .orderBy(desc(reconciliationRuns.id))
    .limit(page.limit + 1);
}

/** A run's items in the order the run found them; `limit + 1` rows. */
export function itemPage(
  db: Db,
  runId: string,
  page: { startingAfter?: string; limit: number; kind?: ItemKind },
) {
  return db
    .select()
    .from(reconciliationItems)
    .where(
      and(
        eq(reconciliationItems.runId, runId),
        page.kind !== undefined ? eq(reconciliationItems.kind, page.kind) : undefined,
        page.startingAfter !== undefined ? gt(reconciliationItems.id, page.startingAfter) : undefined,
      ),
    )
    .orderBy(asc(reconciliationItems.id))
    .limit(page.limit + 1);
}

// ------------------------------------------------------------------------ exceptions

export async function findException(db: Db, id: string) {
  const [row] = await db.select().from(reconciliationExceptions).where(eq(reconciliationExceptions.id, id));
  return row;
}

/** Newest first; `limit + 1` rows. */
export function exceptionPage(
  db: Db,
  page: {
    startingAfter?: string;
    limit: number;
    status?: ExceptionStatus;
    kind?: ExceptionKind;
    provider?: string;
  },
) {
  const filters: (SQL | undefined)[] = [
    page.status !== undefined ? eq(reconciliationExceptions.status, page.status) : undefined,
    page.kind !== undefined ? eq(reconciliationExceptions.kind, page.kind) : undefined,
    page.provider !== undefined ? eq(reconciliationExceptions.provider, page.provider) : undefined,
    page.startingAfter !== undefined ? lt(reconciliationExceptions.id, page.startingAfter) : undefined,
  ];
  return db
    .select()
    .from(reconciliationExceptions)
    .where(and(...filters))
    .orderBy(desc(reconciliationExceptions.id))
    .limit(page.limit + 1);
}

/** Resolves an open exception (compare-and-set on `open`): the row resolved, or none if it was not open. */
export async function resolveExceptionRow(
  db: Db,
  id: string,
  resolution: { reason: ResolutionReason; note: string; by: string; at: string },
) {
  const [row] = await db
    .update(reconciliationExceptions)
    .set({
      status: "resolved",
      resolutionReason: resolution.reason,
      resolutionNote: resolution.note,
      resolvedBy: resolution.by,
      resolvedAt: resolution.at,
    })
    .where(and(eq(reconciliationExceptions.id, id), eq(reconciliationExceptions.status, "open")))
    .returning();
  return row;
}
