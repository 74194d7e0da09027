import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { sha256Hex, uuidv7 } from "../../platform/lib/ids";
import { bookedOn, entriesFor, paymentsFor, refundsFor, stuckPayments } from "./books";
import type { ReconciliationConfig } from "./config";
import { MAX_REPORT_BYTES, parseReport } from "./csv";
import { fingerprintOf, reconcile } from "./matching";
import {
  dayRange,
  type ExceptionKind,
  type ExceptionStatus,
  type ItemKind,
  type ParsedReport,
  type ReportLine,
  type ResolutionReason,
} from "./model";
import {
  type ExceptionInput,
  exceptionPage,
  findException,
  findReport,
  findRun,
  type ItemInput,
  insertReport,
  insertRun,
  itemPage,
  type RunCounts,
  reportLines,
  reportPage,
  resolveExceptionRow,
  runPage,
} from "./storage";
import { exceptionView, itemView, reportView, runView } from "./views";

export interface ReconciliationDeps {
  db: Db;
  config: ReconciliationConfig;
  now: () => number;
}

/** The most stuck payments one run reports (the oldest first); the next run reports the rest. */
export const MAX_STUCK_PER_RUN = 1000;

export interface ImportInput {
  csv: string;
  provider?: string | undefined;
  settlementDate?: string | undefined;
  source: "upload" | "scheduled";
  createdBy: string;
}

/**
 * Imports a settlement report: refused whole (nothing stored) when too large or malformed;
 * the same file for the same provider and day answers the report stored the first time.
 */
export async function importReport(deps: ReconciliationDeps, input: ImportInput) {
  const bytes = new TextEncoder().encode(input.csv).byteLength;
  if (bytes > MAX_REPORT_BYTES)
    throw new ApiError("settlement_report_too_large", { limit: MAX_REPORT_BYTES });
  const parsed = parseReport(input.csv, {
    ...(input.provider !== undefined ? { provider: input.provider } : {}),
    ...(input.settlementDate !== undefined ? { settlementDate: input.settlementDate } : {}),
  });
  if (!parsed.ok)
    throw new ApiError(
      "settlement_report_invalid",
      { errors: parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join("; ") },
      { field: "csv" },
    );
  const { report } = parsed;
  const { report: stored, created } = await insertReport(
    deps.db,
    {
      id: uuidv7(deps.now()),
      provider: report.provider,
      settlementDate: report.settlementDate,
      sha256: await sha256Hex(input.csv),
      source: input.source,
      lineCount: report.lines.length,
      raw: input.csv,
      createdBy: input.createdBy,
      createdAt: new Date(deps.now()).toISOString(),
    },
    report.lines,
  );
  return { report: reportView(stored), created };
}

async function reportOf(db: Db, reportId: string): Promise<ParsedReport> {
  const row = await findReport(db, reportId);
  if (!row) throw new ApiError("not_found", { resource: `settlement report ${reportId}` });
  const lines = await reportLines(db, reportId);
  return {
    provider: row.provider,
    settlementDate: row.settlementDate,
    lines: lines.map(
      (l): ReportLine => ({
        line: l.line,
        type: l.type,
        providerReference: l.providerReference,
        paymentId: l.paymentId,
        refundId: l.refundId,
        amount: l.amount,
        currency: l.currency as ReportLine["currency"],
        fee: l.fee,
        net: l.net,
      }),
    ),
  };
}

/** Ids that sort in the order they are made, within one millisecond too: a run's items in finding order. */
function orderedIds(now: number, n: number): string[] {
  const salt = crypto.getRandomValues(new Uint8Array(2));
  return Array.from({ length: n }, (_, i) => {
    const filler = new Uint8Array(16);
    filler.set(salt, 6);
    new DataView(filler.buffer).setUint32(12, i);
    return uuidv7(now, filler);
  });
}

/**
 * A run over a stored report: every line against the ledger and the payment projection, the
 * provider's movements of that day that no line reports, the provider's stuck payments as of now.
 * Each finding but a match is an exception, once per fingerprint however many runs find it.
 */
export async function runReconciliation(deps: ReconciliationDeps, reportId: string, createdBy: string) {
  const { db, config } = deps;
  const report = await reportOf(db, reportId);
  const now = deps.now();
  const captureIds = report.lines.filter((l) => l.type === "capture").map((l) => l.paymentId);
  const refundIds = report.lines.flatMap((l) => (l.refundId !== null ? [l.refundId] : []));
  const { start, end } = dayRange(report.settlementDate);
  const [captures, refunds, refundPayments, booked, stuck] = await Promise.all([
    entriesFor(db, "capture", captureIds),
    entriesFor(db, "refund", refundIds),
    refundsFor(db, refundIds),
    bookedOn(db, report.provider, start, end),
    stuckPayments(
      db,
      report.provider,
      new Date(now - config.captureWindowMs).toISOString(),
      new Date(now - config.pendingGraceMs).toISOString(),
      MAX_STUCK_PER_RUN,
    ),
  ]);
  const payments = await paymentsFor(db, [...captureIds, ...refundPayments.values()]);
  const findings = reconcile(
    report,
    { captures, refunds, payments, refundPayments, booked, stuck },
    config.fees[report.provider],
  );

  const runId = uuidv7(now);
  const ids = orderedIds(now, findings.length);
  const counts: RunCounts = {};
  const items: ItemInput[] = [];
  const exceptions = new Map<string, ExceptionInput>();
  findings.forEach((f, i) => {
    counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    const fingerprint = f.kind === "matched" ? null : fingerprintOf(report, f);
    items.push({ id: ids[i] ?? uuidv7(now), ...f, fingerprint });
    if (fingerprint !== null && f.kind !== "matched" && !exceptions.has(fingerprint))
      exceptions.set(fingerprint, {
        id: uuidv7(now),
        fingerprint,
        kind: f.kind,
        paymentId: f.paymentId,
        refundId: f.refundId,
        settlementDate: f.line !== null || f.kind === "missing_in_report" ? report.settlementDate : null,
        detail: f.detail,
      });
  });
  const run = {
    id: runId,
    reportId,
    provider: report.provider,
    settlementDate: report.settlementDate,
    counts,
    createdBy,
    createdAt: new Date(now).toISOString(),
  };
  await insertRun(db, run, items, [...exceptions.values()]);
  return runView(run);
}

type Page = { limit: number; startingAfter?: string };

const paged = <R, V>(rows: R[], limit: number, view: (r: R) => V) => ({
  data: rows.slice(0, limit).map(view),
  has_more: rows.length > limit,
});

export async function listReports(deps: ReconciliationDeps, page: Page & { provider?: string }) {
  return paged(await reportPage(deps.db, page), page.limit, reportView);
}

export async function getReport(deps: ReconciliationDeps, id: string) {
  const row = await findReport(deps.db, id);
  if (!row) throw new ApiError("not_found", { resource: `settlement report ${id}` });
  return reportView(row);
}

export async function listRuns(deps: ReconciliationDeps, page: Page & { reportId?: string }) {
  return paged(await runPage(deps.db, page), page.limit, runView);
}

export async function getRun(deps: ReconciliationDeps, id: string) {
  const row = await findRun(deps.db, id);
  if (!row) throw new ApiError("not_found", { resource: `reconciliation run ${id}` });
  return runView(row);
}

export async function listItems(deps: ReconciliationDeps, runId: string, page: Page & { kind?: ItemKind }) {
  await getRun(deps, runId);
  return paged(await itemPage(deps.db, runId, page), page.limit, itemView);
}

export async function listExceptions(
  deps: ReconciliationDeps,
  page: Page & { status?: ExceptionStatus; kind?: ExceptionKind; provider?: string },
) {
  return paged(await exceptionPage(deps.db, page), page.limit, exceptionView);
}

export async function getException(deps: ReconciliationDeps, id: string) {
  const row = await findException(deps.db, id);
  if (!row) throw new ApiError("not_found", { resource: `reconciliation exception ${id}` });
  return exceptionView(row);
}

/** Closes an open exception with the operator's reason and note; resolving it twice is 409 (222). */
export async function resolveException(
  deps: ReconciliationDeps,
  id: string,
  resolution: { reason: ResolutionReason; note: string; by: string },
) {
  const before = await getException(deps, id);
  const row = await resolveExceptionRow(deps.db, id, {
    ...resolution,
    at: new Date(deps.now()).toISOString(),
  });
  if (!row) throw new ApiError("reconciliation_exception_resolved", { id });
  return { before, after: exceptionView(row) };
}
