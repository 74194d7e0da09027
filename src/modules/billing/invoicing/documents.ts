import { ApiError } from "../../../platform/errors";
import { sendPending } from "../../../platform/events/outbox";
import { uuidv7 } from "../../../platform/lib/ids";
import type { Currency } from "../../../platform/lib/money";
import { type EntryInput, PLATFORM } from "../../ledger/ledger";
import { line } from "../invoice-line";
import { roundHalfEven, toSafeNumber } from "../price";
import { type CloseDeps, paymentEntry } from "./close";
import { ensurePdf } from "./pdf";
import {
  documentExists,
  entryStatements,
  insertDocument,
  insertDocumentEvent,
  insertLines,
  markPaidIfPosted,
  takeNumber,
} from "./statements";
import { creditedByNotes, findInvoice, type InvoiceRow } from "./storage";
import { invoiceView } from "./view";

/**
 * What changes an issued invoice's standing without changing the invoice (docs/invoices.md): its
 * payment from outside (a bank transfer the platform team records) and credit notes, new documents
 * in their own gapless series that take back part or all of what it billed.
 */

/** An invoice (not a credit note) by id: anything else is 404. */
async function invoiceOf(deps: CloseDeps, id: string): Promise<InvoiceRow> {
  const row = await findInvoice(deps.db, id);
  if (row?.kind === "invoice") return row;
  throw new ApiError("not_found", { resource: "invoice" });
}

const stateError = (row: InvoiceRow) =>
  new ApiError("invalid_state_transition", { operation: "pay", object: "invoice", status: row.status });

/**
 * Records an invoice paid from outside: bank clearing debited, the receivable credited, the
 * invoice paid and `invoice.paid` stored, in one batch. Paying twice is a state error (code 60):
 * the payment entry posts once per invoice, so a raced second payment fails its batch whole.
 */
export async function payInvoice(deps: CloseDeps, id: string, at = new Date().toISOString()) {
  const row = await invoiceOf(deps, id);
  if (row.status !== "issued") throw stateError(row);
  const d1 = deps.db.$client;
  const payment = entryStatements(d1, paymentEntry(row, "bank_clearing"), documentExists(id));
  const livemode = deps.environment === "production";
  const event = { id: uuidv7(), type: "invoice.paid", partnerId: row.partnerId, livemode, createdAt: at };
  const object = { ...invoiceView(row, livemode), status: "paid", paid_at: at };
  try {
    await d1.batch([
      ...payment.statements,
      markPaidIfPosted(d1, id, payment.entryId, at),
      insertDocumentEvent(d1, event, id, object, true),
    ]);
  } catch (err) {
    if (String(err).includes("UNIQUE constraint failed: journal_entries"))
      throw stateError({ ...row, status: "paid" });
    throw err;
  }
  if (deps.events) await sendPending(deps.db, deps.events, [event.id], deps.log);
  return { before: row, after: (await findInvoice(deps.db, id)) as InvoiceRow };
}

/** The credit note's entry: the reverse of the issue's for its amount and tax. */
function creditNoteEntry(id: string, invoice: InvoiceRow, amount: number, tax: number): EntryInput {
  const lines: EntryInput["lines"] = [
    { owner: PLATFORM, code: "fee_revenue", direction: "debit", amount },
    { owner: invoice.partnerId, code: "partner_receivable", direction: "credit", amount: amount + tax },
  ];
  if (tax > 0) lines.push({ owner: PLATFORM, code: "tax_payable", direction: "debit", amount: tax });
  return {
    reference: id,
    kind: "credit_note",
    currency: invoice.currency as Currency,
    partnerId: invoice.partnerId,
    description: `credit note ${id} for invoice ${invoice.id}`,
    lines,
  };
}

/**
 * Issues a credit note for `amount_minor` (before tax; the invoice's tax rate is added, rounded
 * half to even) against an invoice: a new document `CN-<YYYY>-<000001>` referencing it, posted as
 * the reverse of the issue. Never more than what the invoice still has uncredited: checked before
 * and again inside the batch, where a refused note takes no number.
 */
export async function issueCreditNote(
  deps: CloseDeps,
  invoiceId: string,
  input: { amount_minor: number; reason: string; at?: string },
) {
  const invoice = await invoiceOf(deps, invoiceId);
  const amount = input.amount_minor;
  const tax = toSafeNumber(roundHalfEven(BigInt(amount) * BigInt(invoice.taxBps), 10_000n));
  const total = amount + tax;
  const refuse = (remaining: number) =>
    new ApiError(
      "credit_note_exceeds",
      { amount: total, number: invoice.number, remaining },
      { field: "amount_minor" },
    );
  const remaining = invoice.total - (await creditedByNotes(deps.db, invoiceId));
  if (total > remaining) throw refuse(remaining);
  const d1 = deps.db.$client;
  const id = uuidv7();
  const at = input.at ?? new Date().toISOString();
  const key = { environment: deps.environment, year: new Date(at).getUTCFullYear(), series: "CN" as const };
  const guard = {
    sql: `(SELECT total FROM invoices WHERE id = ?) - (SELECT coalesce(sum(total), 0) FROM invoices
      WHERE credit_note_for = ? AND kind = 'credit_note') >= ?`,
    args: [invoiceId, invoiceId, total],
  };
  const entry = entryStatements(d1, creditNoteEntry(id, invoice, amount, tax), documentExists(id));
  const doc = {
    id,
    partnerId: invoice.partnerId,
    kind: "credit_note" as const,
    status: "issued" as const,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    planVersion: invoice.planVersion,
    currency: invoice.currency,
    subtotal: amount,
    credited: 0,
    taxBps: invoice.taxBps,
    tax,
    total,
    unappliedCredits: "[]",
    unappliedRefundsMinor: 0,
    usageFrom: invoice.usageFrom,
    usageTo: invoice.usageFrom,
    creditNoteFor: invoice.id,
    reason: input.reason,
    settlement: invoice.settlement,
    ledgerEntryId: entry.entryId,
    issuedAt: at,
    paidAt: null,
  };
  const creditLine = line("credit", `Credit for invoice ${invoice.number}: ${input.reason}`, 1, {
    minor: amount,
    per: 1,
  });
  await d1.batch([
    takeNumber(d1, key, guard),
    insertDocument(d1, doc, key, guard),
    ...insertLines(d1, id, [creditLine]),
    ...entry.statements,
  ]);
  const row = await findInvoice(deps.db, id);
  if (!row) throw refuse(invoice.total - (await creditedByNotes(deps.db, invoiceId)));
  await ensurePdf(deps, row);
  return (await findInvoice(deps.db, id)) as InvoiceRow;
}
