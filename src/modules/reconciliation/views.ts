import { ITEM_KINDS, type ItemKind } from "./model";
import type { ExceptionRow, ItemRow, ReportRow, RunRow } from "./storage";

export const reportView = (r: Omit<ReportRow, "raw">) => ({
  id: r.id,
  object: "settlement_report" as const,
  provider: r.provider,
  settlement_date: r.settlementDate,
  sha256: r.sha256,
  source: r.source,
  line_count: r.lineCount,
  created_by: r.createdBy,
  created_at: r.createdAt,
});

export const runView = (r: RunRow) => {
  const counts = Object.fromEntries(ITEM_KINDS.map((k) => [k, r.counts[k] ?? 0])) as Record<ItemKind, number>;
  return {
    id: r.id,
    object: "reconciliation_run" as const,
    report_id: r.reportId,
    provider: r.provider,
    settlement_date: r.settlementDate,
    counts,
    exceptions: Object.entries(counts).reduce((n, [k, v]) => (k === "matched" ? n : n + v), 0),
    created_by: r.createdBy,
    created_at: r.createdAt,
  };
};

export const itemView = (i: ItemRow) => ({
  id: i.id,
  object: "reconciliation_item" as const,
  run_id: i.runId,
  kind: i.kind,
  line: i.line,
  payment_id: i.paymentId,
  refund_id: i.refundId,
  detail: i.detail,
  exception_id: i.exceptionId,
});

export const exceptionView = (e: ExceptionRow) => ({
  id: e.id,
  object: "reconciliation_exception" as const,
  kind: e.kind,
  status: e.status,
  provider: e.provider,
  settlement_date: e.settlementDate,
  payment_id: e.paymentId,
  refund_id: e.refundId,
  detail: e.detail,
  first_run_id: e.firstRunId,
  last_run_id: e.lastRunId,
  resolution:
    e.status === "resolved" && e.resolutionReason && e.resolvedBy && e.resolvedAt
      ? {
          reason: e.resolutionReason,
          note: e.resolutionNote ?? "",
          resolved_by: e.resolvedBy,
          resolved_at: e.resolvedAt,
        }
      : null,
  created_at: e.createdAt,
});
