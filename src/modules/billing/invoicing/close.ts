import type { Db } from "../../../platform/db/client";
import { sendPending } from "../../../platform/events/outbox";
import { uuidv7 } from "../../../platform/lib/ids";
import type { Logger } from "../../../platform/lib/logger";
import type { Currency } from "../../../platform/lib/money";
import { type EntryInput, PLATFORM } from "../../ledger/ledger";
import type { InvoiceDraft } from "../invoice-lines";
import { hourOf } from "../metering/storage";
import { type BillingPeriod, firstPeriod, nextPeriod, periodContaining } from "../period";
import { type BillingTerms, billingTermsOf } from "../terms";
import { draftFor, type UsageWindow } from "./draft";
import { ensurePdf } from "./pdf";
import {
  availableCovers,
  documentExists,
  entryStatements,
  insertDocument,
  insertDocumentEvent,
  insertLines,
  markPaidIfPosted,
  takeNumber,
} from "./statements";
import { clockOf, findInvoice, type InvoiceRow, latestInvoice } from "./storage";
import { invoiceView } from "./view";

/**
 * Closing billing periods (docs/invoices.md): every period of the partner whose end has passed on
 * its billing clock (real time plus its sandbox test clock's offset) and that has no invoice yet
 * is priced and issued, oldest first, each in ONE D1 batch: its number, the invoice and its lines,
 * the ledger entry, the `invoice.issued` event and, under balance settlement, the payment. A close
 * raced by another, or run twice, fails its batch on the one-invoice-per-period key and takes no
 * number. The PDF is made after the batch; one a crash left unmade is made by the next run.
 */

export interface CloseDeps {
  db: Db;
  environment: "sandbox" | "production";
  events?: Queue<{ eventId: string }>;
  bucket?: R2Bucket;
  log: Pick<Logger, "warn">;
}

/**
 * How long after a period's end the cron waits before closing it, on the real clock: long enough
 * for the calls of its last hour to be metered (they reach `metered_usage` within minutes).
 */
export const CLOSE_GRACE_MS = 2 * 3_600_000;
/** The most periods one close issues for one partner (a long-idle account catches up over runs). */
export const MAX_PERIODS_PER_CLOSE = 24;

const hourOfDay = (day: string) => `${day}T00:00:00Z`;

/** The period after the partner's latest invoice, or its first. */
function nextToClose(terms: BillingTerms, previous: InvoiceRow | undefined): BillingPeriod {
  if (!previous) return firstPeriod(terms.schedule);
  const last = periodContaining(terms.schedule, previous.periodStart);
  return last ? nextPeriod(terms.schedule, last) : firstPeriod(terms.schedule);
}

/**
 * The real-time hours a period's invoice counts: from where the previous invoice stopped (or the
 * period's start) to the real hour the billing clock passed the period's end. On a clock that only
 * runs, that is the end itself less the offset; when a move of the test clock jumped past it, it
 * is the move (`movedAt`). Never past the current hour, never before the start. Consecutive windows
 * meet exactly, so every metered hour is counted by exactly one invoice, however the clock moved.
 */
function usageWindow(
  period: BillingPeriod,
  previous: InvoiceRow | undefined,
  clock: { offsetMs: number; movedAt: number },
  realNow: number,
): UsageWindow {
  const from = previous?.usageTo ?? hourOfDay(period.start);
  const passed = Math.max(Date.parse(period.end) - clock.offsetMs, clock.movedAt);
  const to = hourOf(Math.max(Math.min(passed, realNow), Date.parse(from)));
  return { from, to };
}

export interface CloseResult {
  /** The invoices this close issued, oldest period first. */
  issued: InvoiceRow[];
}

/** Closes what is due for one partner; `graceMs` after a period's end on its billing clock. */
export async function closeDuePeriods(
  deps: CloseDeps,
  partnerId: string,
  opts: { realNow: number; graceMs: number },
): Promise<CloseResult> {
  const terms = await billingTermsOf(deps.db, partnerId);
  if (!terms) return { issued: [] };
  const clock = await clockOf(deps.db, partnerId);
  const billingNow = opts.realNow + clock.offsetMs;
  let previous = await latestInvoice(deps.db, partnerId);
  const issued: InvoiceRow[] = [];
  for (let n = 0; n < MAX_PERIODS_PER_CLOSE; n++) {
    const period = nextToClose(terms, previous);
    if (Date.parse(period.end) + opts.graceMs > billingNow) break;
    const window = usageWindow(period, previous, clock, opts.realNow);
    const draft = await draftFor(deps.db, terms, period, window, previous);
    const row = await issueInvoice(deps, terms, draft, window, billingNow);
    if (row) issued.push(row);
    // Raced: the other close issued this period; continue after what it issued.
    previous = row ?? (await latestInvoice(deps.db, partnerId));
    if (!previous || previous.periodStart !== period.start) break;
  }
  for (const row of issued) await ensurePdf(deps, row);
  return { issued };
}

/** The issue's entry: the receivable for the total, the fees as revenue, the tax as payable. */
function issueEntry(id: string, partnerId: string, draft: InvoiceDraft): EntryInput {
  const lines: EntryInput["lines"] = [
    { owner: partnerId, code: "partner_receivable", direction: "debit", amount: draft.total },
  ];
  if (draft.total - draft.tax > 0)
    lines.push({
      owner: PLATFORM,
      code: "fee_revenue",
      direction: "credit",
      amount: draft.total - draft.tax,
    });
  if (draft.tax > 0)
    lines.push({ owner: PLATFORM, code: "tax_payable", direction: "credit", amount: draft.tax });
  return {
    reference: id,
    kind: "invoice",
    currency: draft.currency as Currency,
    partnerId,
    description: `invoice ${id}`,
    lines,
  };
}

/** Paying an invoice: `from` (the partner's balance, or the bank's clearing account) clears the receivable. */
export function paymentEntry(row: InvoiceRow, from: "partner_available" | "bank_clearing"): EntryInput {
  return {
    reference: row.id,
    kind: "invoice_payment",
    currency: row.currency as Currency,
    partnerId: row.partnerId,
    description: `payment of invoice ${row.id}`,
    lines: [
      {
        owner: from === "bank_clearing" ? PLATFORM : row.partnerId,
        code: from,
        direction: "debit",
        amount: row.total,
      },
      { owner: row.partnerId, code: "partner_receivable", direction: "credit", amount: row.total },
    ],
  };
}

const isDuplicatePeriod = (err: unknown) => String(err).includes("UNIQUE constraint failed: invoices.");

/** Issues one draft in one batch; undefined when another close issued the period first. */
async function issueInvoice(
  deps: CloseDeps,
  terms: BillingTerms,
  draft: InvoiceDraft,
  window: UsageWindow,
  billingNow: number,
): Promise<InvoiceRow | undefined> {
  const d1 = deps.db.$client;
  const id = uuidv7();
  const issuedAt = new Date(billingNow).toISOString();
  const key = {
    environment: deps.environment,
    year: new Date(billingNow).getUTCFullYear(),
    series: "INV" as const,
  };
  const free = draft.total === 0;
  const entry = free
    ? undefined
    : entryStatements(d1, issueEntry(id, terms.partnerId, draft), documentExists(id));
  const doc = {
    id,
    partnerId: terms.partnerId,
    kind: "invoice" as const,
    // Nothing to pay: paid as it is issued, and posted nowhere.
    status: free ? ("paid" as const) : ("issued" as const),
    periodStart: draft.period.start,
    periodEnd: draft.period.end,
    planVersion: draft.plan_version,
    currency: draft.currency,
    subtotal: draft.subtotal,
    credited: draft.credited,
    taxBps: draft.tax_bps,
    tax: draft.tax,
    total: draft.total,
    unappliedCredits: JSON.stringify(draft.unapplied_credits),
    unappliedRefundsMinor: draft.unapplied_refunds_minor,
    usageFrom: window.from,
    usageTo: window.to,
    creditNoteFor: null,
    reason: null,
    settlement: terms.settlement,
    ledgerEntryId: entry?.entryId ?? null,
    issuedAt,
    paidAt: free ? issuedAt : null,
  };
  const livemode = deps.environment === "production";
  const view = invoiceView(
    { ...doc, number: "", unappliedCredits: draft.unapplied_credits, pdfKey: null, createdAt: "" },
    livemode,
  );
  const issuedEvent = {
    id: uuidv7(),
    type: "invoice.issued",
    partnerId: terms.partnerId,
    livemode,
    createdAt: new Date().toISOString(),
  };
  const statements: D1PreparedStatement[] = [
    takeNumber(d1, key),
    insertDocument(d1, doc, key),
    ...insertLines(d1, id, draft.lines),
    ...(entry?.statements ?? []),
    insertDocumentEvent(d1, issuedEvent, id, { ...view }),
  ];
  const eventIds = [issuedEvent.id];
  if (terms.settlement === "balance" && !free) {
    // Settled from the partner's balance in the same batch when it covers the total; else it stays issued.
    const rowLike = {
      ...doc,
      number: "",
      unappliedCredits: draft.unapplied_credits,
      pdfKey: null,
      createdAt: "",
    };
    const payment = entryStatements(
      d1,
      paymentEntry(rowLike, "partner_available"),
      availableCovers(id, terms.partnerId, draft.currency as Currency, draft.total),
    );
    const paidEvent = { ...issuedEvent, id: uuidv7(), type: "invoice.paid" };
    statements.push(
      ...payment.statements,
      markPaidIfPosted(d1, id, payment.entryId, issuedAt),
      insertDocumentEvent(d1, paidEvent, id, { ...view, status: "paid", paid_at: issuedAt }, true),
    );
    eventIds.push(paidEvent.id);
  }
  try {
    await d1.batch(statements);
  } catch (err) {
    if (isDuplicatePeriod(err)) return undefined;
    throw err;
  }
  if (deps.events) await sendPending(deps.db, deps.events, eventIds, deps.log);
  return findInvoice(deps.db, id);
}
