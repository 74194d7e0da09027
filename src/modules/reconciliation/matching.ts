import type { BookedEntry, BookedMovement, PaymentView, StuckCandidate } from "./books";
import { type FeeRule, type Finding, feeOf, type ParsedReport, type ReportLine } from "./model";

/** Everything a run compares a report with, read before matching. */
export interface Books {
  captures: Map<string, BookedEntry>;
  refunds: Map<string, BookedEntry>;
  payments: Map<string, PaymentView>;
  /** Refund id → its payment id. */
  refundPayments: Map<string, string>;
  /** What the ledger posted for the provider on the report's day. */
  booked: BookedMovement[];
  stuck: StuckCandidate[];
}

const lineKey = (type: string, id: string) => `${type}:${id}`;

const reported = (l: ReportLine) => ({
  type: l.type,
  provider_reference: l.providerReference,
  payment_id: l.paymentId,
  refund_id: l.refundId,
  amount: l.amount,
  currency: l.currency,
  fee: l.fee,
});

/**
 * One line against our books: the findings about it, or `matched`. A missing movement is the only
 * finding; otherwise the references, then the currency (a line in another currency has no
 * comparable amount or fee), then the amount and the fee each add one.
 */
function checkLine(report: ParsedReport, line: ReportLine, books: Books, rule: FeeRule | undefined) {
  const findings: Omit<Finding, "line" | "paymentId" | "refundId">[] = [];
  const isCapture = line.type === "capture";
  const entry = isCapture ? books.captures.get(line.paymentId) : books.refunds.get(line.refundId ?? "");
  const paymentId = isCapture ? line.paymentId : books.refundPayments.get(line.refundId ?? "");
  const payment = paymentId !== undefined ? books.payments.get(paymentId) : undefined;
  const report_ = reported(line);
  if (!entry || !payment) {
    findings.push({
      kind: "missing_in_ledger",
      detail: { report: report_, ledger: entry ?? null, payment: payment ?? null },
    });
    return findings;
  }
  const references = {
    provider: payment.provider,
    provider_reference: payment.providerReference,
    payment_id: payment.id,
  };
  if (
    payment.provider !== report.provider ||
    payment.providerReference !== line.providerReference ||
    payment.id !== line.paymentId
  )
    findings.push({ kind: "reference_mismatch", detail: { report: report_, payment: references } });
  if (line.currency !== entry.currency || line.currency !== payment.currency) {
    findings.push({
      kind: "currency_mismatch",
      detail: {
        report: report_,
        ledger: { currency: entry.currency },
        payment: { currency: payment.currency },
      },
    });
    return findings;
  }
  const paymentAmount = isCapture ? payment.amountCaptured : entry.amount;
  if (line.amount !== entry.amount || line.amount !== paymentAmount)
    findings.push({
      kind: "amount_mismatch",
      detail: {
        report: report_,
        ledger: { amount: entry.amount },
        payment: isCapture
          ? { amount_captured: payment.amountCaptured }
          : { amount_refunded: payment.amountRefunded },
      },
    });
  if (rule) {
    const expected = feeOf(rule, line.type, line.amount);
    if (line.fee !== expected)
      findings.push({ kind: "fee_mismatch", detail: { report: report_, expected_fee: expected, rule } });
  }
  return findings;
}

/**
 * What a run finds: each report line matched or its findings, each movement our books have for
 * the provider and day that no line reports, and each stuck payment.
 */
export function reconcile(report: ParsedReport, books: Books, rule: FeeRule | undefined): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const line of report.lines) {
    seen.add(lineKey(line.type, line.refundId ?? line.paymentId));
    const about = { line: line.line, paymentId: line.paymentId, refundId: line.refundId };
    const found = checkLine(report, line, books, rule);
    if (found.length === 0) findings.push({ kind: "matched", ...about, detail: { report: reported(line) } });
    for (const f of found) findings.push({ ...f, ...about });
  }
  for (const m of books.booked) {
    if (seen.has(lineKey(m.kind, m.reference))) continue;
    findings.push({
      kind: "missing_in_report",
      line: null,
      paymentId: m.paymentId,
      refundId: m.refundId,
      detail: { ledger: { kind: m.kind, reference: m.reference, amount: m.amount, currency: m.currency } },
    });
  }
  for (const p of books.stuck) {
    findings.push({
      kind: p.status === "authorized" ? "stuck_authorized" : "stuck_pending",
      line: null,
      paymentId: p.id,
      refundId: null,
      detail: {
        payment: {
          status: p.status,
          amount: p.amount,
          currency: p.currency,
          updated_at: p.updatedAt,
          expires_at: p.expiresAt,
        },
      },
    });
  }
  return findings;
}

/**
 * What makes two runs' findings one exception: a line's finding by provider, day, movement and
 * kind (a corrected file for the same day finds the same one); a stuck payment by the payment.
 */
export function fingerprintOf(report: ParsedReport, f: Finding): string {
  if (f.kind === "stuck_authorized" || f.kind === "stuck_pending") return `${f.kind}:${f.paymentId}`;
  const movement = f.refundId !== null ? `refund:${f.refundId}` : `capture:${f.paymentId}`;
  return `${f.kind}:${report.provider}:${report.settlementDate}:${movement}`;
}
