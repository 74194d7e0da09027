import { basisPoints, type Currency } from "../../platform/lib/money";

/**
 * Reconciliation's vocabulary (docs/reconciliation.md): the lines of a provider's settlement
 * report, what a run finds about each, the exceptions operators resolve and why.
 */

/** The report's columns, in this order, as its header row names them. */
export const REPORT_COLUMNS = [
  "provider",
  "settlement_date",
  "type",
  "provider_reference",
  "payment_id",
  "refund_id",
  "amount",
  "currency",
  "fee",
  "net",
] as const;

export const LINE_TYPES = ["capture", "refund"] as const;
export type LineType = (typeof LINE_TYPES)[number];

/** One settled line of a report: integer minor units, `net` signed as the provider pays it. */
export interface ReportLine {
  /** The line's number in the file (the header is line 1). */
  line: number;
  type: LineType;
  providerReference: string;
  paymentId: string;
  refundId: string | null;
  amount: number;
  currency: Currency;
  fee: number;
  net: number;
}

export interface ParsedReport {
  provider: string;
  settlementDate: string;
  lines: ReportLine[];
}

/** What a run says about one report line, one booked movement or one payment. */
export const ITEM_KINDS = [
  "matched",
  /** In the report, not in our books (no such payment or refund, or nothing posted). */
  "missing_in_ledger",
  /** In our books for the provider and day, not in the report. */
  "missing_in_report",
  "amount_mismatch",
  "currency_mismatch",
  "fee_mismatch",
  /** The payment's provider or provider reference (or a refund's payment) is not the line's. */
  "reference_mismatch",
  /** Authorized and not captured within the capture window. */
  "stuck_authorized",
  /** Pending or waiting for the customer past its `next_action.expires_at`. */
  "stuck_pending",
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export type ExceptionKind = Exclude<ItemKind, "matched">;
export const EXCEPTION_KINDS = ITEM_KINDS.filter((k): k is ExceptionKind => k !== "matched") as [
  ExceptionKind,
  ...ExceptionKind[],
];

export const EXCEPTION_STATUSES = ["open", "resolved"] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

/** Why an exception was closed: the operator's finding. */
export const RESOLUTION_REASONS = [
  /** The movement is on the next (or previous) day's report or books. */
  "timing",
  /** The provider's report is wrong; the provider was asked to correct it. */
  "provider_error",
  /** Our books were corrected by hand (an adjustment posted elsewhere). */
  "manual_adjustment",
  /** Too small or too old to pursue: accepted as a loss or gain. */
  "written_off",
  /** Looked at and nothing is wrong (e.g. a stuck payment the partner will still capture). */
  "no_action_needed",
] as const;
export type ResolutionReason = (typeof RESOLUTION_REASONS)[number];

/**
 * What a provider charges per settled line (configured, `SETTLEMENT_FEES`): a capture costs
 * `capture_bps` of its amount (rounded half up) plus `capture_fixed`; a refund `refund_fixed`.
 * Fixed parts are minor units of the line's currency.
 */
export interface FeeRule {
  capture_bps: number;
  capture_fixed: number;
  refund_fixed: number;
}

export const feeOf = (rule: FeeRule, type: LineType, amount: number) =>
  type === "capture" ? basisPoints(amount, rule.capture_bps) + rule.capture_fixed : rule.refund_fixed;

/** What the provider pays out for a line: a capture's amount less its fee; a refund costs amount and fee. */
export const netOf = (type: LineType, amount: number, fee: number) =>
  type === "capture" ? amount - fee : -(amount + fee);

/** One finding of a run, before it is stored. */
export interface Finding {
  kind: ItemKind;
  /** The report line it is about; null for what only our books have. */
  line: number | null;
  paymentId: string | null;
  refundId: string | null;
  /** What the report says and what our books say, for the operator. */
  detail: Record<string, unknown>;
}

/** The UTC day `date` (YYYY-MM-DD) as [start, end) in ms. */
export function dayRange(date: string): { start: number; end: number } {
  const start = Date.parse(`${date}T00:00:00.000Z`);
  return { start, end: start + 86_400_000 };
}

/** The UTC date before the one `now` falls on. */
export const yesterdayOf = (now: number) => new Date(now - 86_400_000).toISOString().slice(0, 10);
