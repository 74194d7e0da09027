import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { type OutboxEvent, sendPending } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import type { PartnerProfile } from "../../platform/types";
import { PLATFORM, postEntry } from "../ledger/ledger";
import { type LendingDeps, loadApplication } from "./lending";
import { type ApplicationStatus, applicationStatus, type Loan, loanView } from "./model";
import { acceptOffer, findApplication, findLoan, type LoanRow, loanPage, markDisbursed } from "./storage";

/** The ledger entry kind of a disbursement: posts once per loan. */
export const DISBURSEMENT_KIND = "loan_disbursement";

const refusal = (status: ApplicationStatus) =>
  new ApiError("invalid_state_transition", { operation: "accept", object: "loan_application", status });

/** `loan.accepted` and `loan.disbursed` of a disbursed loan, their ids fixed when it was made. */
function disbursementEvents(row: LoanRow): [OutboxEvent, OutboxEvent] {
  const view = loanView(row);
  const base = { partnerId: row.partnerId, livemode: row.livemode };
  return [
    {
      ...base,
      id: row.acceptedEventId,
      type: "loan.accepted",
      createdAt: row.createdAt,
      object: { ...view, status: "accepted", disbursed_at: null },
    },
    {
      ...base,
      id: row.disbursedEventId,
      type: "loan.disbursed",
      createdAt: row.disbursedAt ?? row.updatedAt,
      object: { ...view },
    },
  ];
}

/**
 * Pays the loan out, exactly once: the bank lends the principal (debit `loans_receivable`)
 * and credits it to the partner's available balance, from which the partner pays its
 * customer. Then `loan.accepted` and `loan.disbursed`, with ids fixed when the loan was
 * made, so finishing again after a crash posts and publishes nothing twice.
 */
async function disburse(deps: LendingDeps, loan: LoanRow): Promise<LoanRow> {
  let row = loan;
  if (row.status === "accepted") {
    await postEntry(deps.db, {
      reference: row.id,
      kind: DISBURSEMENT_KIND,
      currency: row.currency,
      partnerId: row.partnerId,
      description: "Micro-credit disbursed to the partner for its customer",
      lines: [
        { owner: PLATFORM, code: "loans_receivable", direction: "debit", amount: row.amount },
        { owner: row.partnerId, code: "partner_available", direction: "credit", amount: row.amount },
      ],
    });
    const at = new Date().toISOString();
    row = await markDisbursed(
      deps.db,
      row,
      at,
      disbursementEvents({ ...row, status: "disbursed", disbursedAt: at, updatedAt: at }),
    );
  }
  // Committed with the disbursement; sent now unless already sent, else by the outbox's drainer.
  if (row.status === "disbursed")
    await sendPending(deps.db, deps.queue, [row.acceptedEventId, row.disbursedEventId]);
  return row;
}

/**
 * Accepts an application's offer: the loan is made and disbursed at once. Only an approved
 * offer before its expiry can be accepted, once (409, code 60 otherwise; 1001 while it is
 * still being scored). A retry under the accepting Idempotency-Key finishes what a crash
 * interrupted instead of refusing.
 */
export async function acceptApplication(
  deps: LendingDeps,
  partner: PartnerProfile,
  idempotencyKey: string,
  applicationId: string,
): Promise<Loan> {
  const row = await loadApplication(deps, partner.id, applicationId);
  if (row.status === "accepted" && row.loanId !== null) {
    const made = await findLoan(deps.db, partner.id, row.loanId);
    if (made && made.acceptKey === idempotencyKey) return loanView(await disburse(deps, made));
  }
  const now = new Date();
  const status = applicationStatus(row, now);
  if (
    status !== "approved" ||
    row.offerAmount === null ||
    row.offerAnnualRateBps === null ||
    row.offerTermMonths === null ||
    row.offerMonthlyPayment === null ||
    row.offerTotalRepayable === null
  ) {
    throw refusal(status);
  }
  const at = now.toISOString();
  const loanId = uuidv7(now.getTime());
  const won = await acceptOffer(
    deps.db,
    {
      id: loanId,
      partnerId: partner.id,
      livemode: row.livemode,
      applicationId: row.id,
      acceptKey: idempotencyKey,
      status: "accepted",
      amount: row.offerAmount,
      currency: row.currency,
      annualRateBps: row.offerAnnualRateBps,
      termMonths: row.offerTermMonths,
      monthlyPayment: row.offerMonthlyPayment,
      totalRepayable: row.offerTotalRepayable,
      acceptedEventId: uuidv7(now.getTime()),
      // A millisecond later: event ids sort by time, and the disbursement follows the acceptance.
      disbursedEventId: uuidv7(now.getTime() + 1),
      createdAt: at,
      updatedAt: at,
    },
    at,
  );
  if (!won) {
    // Another accept won, or the offer expired meanwhile.
    const current = await findApplication(deps.db, partner.id, row.id);
    throw refusal(current ? applicationStatus(current, new Date()) : status);
  }
  const loan = await findLoan(deps.db, partner.id, loanId);
  if (!loan) throw new Error(`loan ${loanId} vanished after accept`);
  return loanView(await disburse(deps, loan));
}

/** One of the partner's loans; a read also finishes a disbursement a crash interrupted. */
export async function getLoan(deps: LendingDeps, partnerId: string, loanId: string): Promise<Loan> {
  const loan = await findLoan(deps.db, partnerId, loanId);
  if (!loan) throw new ApiError("not_found", { resource: `loan ${loanId}` });
  return loanView(await disburse(deps, loan));
}

/** The partner's loans, newest first, as recorded. */
export async function listLoans(
  db: Db,
  partnerId: string,
  opts: { startingAfter?: string; limit: number },
): Promise<{ data: Loan[]; has_more: boolean }> {
  const rows = await loanPage(db, partnerId, opts);
  return { data: rows.slice(0, opts.limit).map(loanView), has_more: rows.length > opts.limit };
}
