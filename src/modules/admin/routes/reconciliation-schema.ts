import { z } from "@hono/zod-openapi";
import { envelopeRequest } from "../../../platform/envelope";
import { MAX_REPORT_BYTES, MAX_REPORT_LINES } from "../../reconciliation/csv";
import {
  EXCEPTION_KINDS,
  EXCEPTION_STATUSES,
  ITEM_KINDS,
  RESOLUTION_REASONS,
} from "../../reconciliation/model";

const uuid = z.string().openapi({ format: "uuid" });
const dateTime = z.string().openapi({ format: "date-time" });
const date = z.string().openapi({ format: "date", example: "2026-12-02" });
const provider = z.string().regex(/^[a-z0-9_]{1,32}$/, "lower-case letters, digits and _, at most 32");
const detail = z.record(z.string(), z.unknown()).openapi({
  description:
    "What the report says and what our books say about it (`report`, `ledger`, `payment`, `expected_fee`).",
});

export const TAGS = ["Reconciliation"];

export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

export const SettlementReportSchema = z
  .object({
    id: uuid,
    object: z.literal("settlement_report"),
    provider: z.string(),
    settlement_date: date,
    sha256: z.string().openapi({ description: "SHA-256 of the file's text, hex." }),
    source: z.enum(["upload", "scheduled"]),
    line_count: z.number().int(),
    created_by: z.string(),
    created_at: dateTime,
  })
  .openapi("SettlementReport");

export const ImportReportRequest = envelopeRequest(
  z.strictObject({
    csv: z
      .string()
      .min(1)
      .openapi({
        description: `The report's text (UTF-8, RFC 4180, the header row first; docs/reconciliation.md), at most ${MAX_REPORT_BYTES} bytes and ${MAX_REPORT_LINES} lines.`,
      }),
    provider: provider.optional().openapi({
      description: "The provider every line must name; needed for a report without lines.",
    }),
    settlement_date: date
      .pipe(z.iso.date())
      .optional()
      .openapi({ description: "The day every line must name; needed for a report without lines." }),
  }),
).openapi("AdminImportSettlementReportRequest");

const counts = z.object(Object.fromEntries(ITEM_KINDS.map((k) => [k, z.number().int()])));

export const RunSchema = z
  .object({
    id: uuid,
    object: z.literal("reconciliation_run"),
    report_id: uuid,
    provider: z.string(),
    settlement_date: date,
    counts: counts.openapi({ description: "How many items of each kind the run found." }),
    exceptions: z.number().int().openapi({ description: "Items other than `matched`." }),
    created_by: z.string(),
    created_at: dateTime,
  })
  .openapi("ReconciliationRun");

export const RunRequest = envelopeRequest(z.strictObject({ report_id: z.uuid() })).openapi(
  "AdminReconciliationRunRequest",
);

export const ItemSchema = z
  .object({
    id: uuid,
    object: z.literal("reconciliation_item"),
    run_id: uuid,
    kind: z.enum(ITEM_KINDS),
    line: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The report line; null for what only our books have." }),
    payment_id: uuid.nullable(),
    refund_id: uuid.nullable(),
    detail,
    exception_id: uuid.nullable().openapi({ description: "The exception this item is; null for a match." }),
  })
  .openapi("ReconciliationItem");

export const ExceptionSchema = z
  .object({
    id: uuid,
    object: z.literal("reconciliation_exception"),
    kind: z.enum(EXCEPTION_KINDS),
    status: z.enum(EXCEPTION_STATUSES),
    provider: z.string(),
    settlement_date: date.nullable().openapi({ description: "Null for a stuck payment." }),
    payment_id: uuid.nullable(),
    refund_id: uuid.nullable(),
    detail,
    first_run_id: uuid,
    last_run_id: uuid,
    resolution: z
      .object({
        reason: z.enum(RESOLUTION_REASONS),
        note: z.string(),
        resolved_by: z.string(),
        resolved_at: dateTime,
      })
      .nullable(),
    created_at: dateTime,
  })
  .openapi("ReconciliationException");

export const ResolveRequest = envelopeRequest(
  z.strictObject({
    reason: z.enum(RESOLUTION_REASONS),
    note: z.string().trim().min(3).max(500).openapi({
      description: "What was found and done: kept on the exception and in the audit log.",
      example: "captured after midnight: on the next day's report",
    }),
  }),
).openapi("AdminResolveReconciliationExceptionRequest");

export const query = {
  provider: provider.optional().openapi({ param: { name: "provider", in: "query" } }),
  report_id: z
    .uuid()
    .optional()
    .openapi({ param: { name: "report_id", in: "query" } }),
  item_kind: z
    .enum(ITEM_KINDS)
    .optional()
    .openapi({ param: { name: "kind", in: "query" } }),
  exception_kind: z
    .enum(EXCEPTION_KINDS)
    .optional()
    .openapi({ param: { name: "kind", in: "query" } }),
  status: z
    .enum(EXCEPTION_STATUSES)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
};
