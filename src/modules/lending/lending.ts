import { eachItem } from "../../platform/cron";
import type { Db } from "../../platform/db/client";
import { ApiError, ERRORS } from "../../platform/errors";
import type { EventMessage } from "../../platform/events/events";
import { type OutboxEvent, sendPending } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import type { Logger } from "../../platform/lib/logger";
import type { Currency } from "../../platform/lib/money";
import type { PartnerProfile } from "../../platform/types";
import type { ScoringConnector, ScoringDecision, ScoringRequest } from "./connector/types";
import {
  type ApplicationStatus,
  applicantOf,
  applicationEventObject,
  applicationView,
  DECLINE_ERRORS,
  FAILURE_ERRORS,
  type LoanApplication,
} from "./model";
import { offerFrom } from "./offer";
import {
  applicationPage,
  applicationsUnderReview,
  findApplication,
  insertApplication,
  type LoanApplicationRow,
  recordScoring,
} from "./storage";

export interface LendingDeps {
  db: Db;
  queue: Queue<EventMessage>;
  scoring: ScoringConnector;
}

export interface ApplyParams {
  applicant: { full_name: string; document_number: string; phone_number: string; birth_date: string };
  amount: number;
  currency: Currency;
  term_months: number;
}

const requestOf = (row: LoanApplicationRow): ScoringRequest => ({
  applicationId: row.id,
  submittedAt: row.createdAt,
  applicant: applicantOf(row),
  amount: row.amount,
  currency: row.currency,
  termMonths: row.termMonths,
});

const isUpstreamFailure = (err: unknown): err is ApiError =>
  err instanceof ApiError && (FAILURE_ERRORS as readonly string[]).includes(err.reason);

/** A decision (approved or declined), committed with its event, as the decision leaves the row. */
function recordDecided(
  db: Db,
  row: LoanApplicationRow,
  now: Date,
  set: Partial<LoanApplicationRow> & { eventId: string; status: "approved" | "declined" },
) {
  const decided: LoanApplicationRow = { ...row, ...set, updatedAt: now.toISOString() };
  const event: OutboxEvent = {
    id: set.eventId,
    type: set.status === "declined" ? "loan_application.declined" : "loan_application.approved",
    partnerId: row.partnerId,
    livemode: row.livemode,
    createdAt: decided.decidedAt ?? decided.updatedAt,
    object: applicationEventObject(decided, now),
  };
  return recordScoring(db, row, { ...set, updatedAt: decided.updatedAt }, event);
}

/** Records what the scoring system said, once: a decision is never overwritten. */
function recordDecision(db: Db, row: LoanApplicationRow, decision: ScoringDecision) {
  const now = new Date();
  const decided = { scoringReference: decision.reference, failureCode: null, decidedAt: now.toISOString() };
  switch (decision.decision) {
    case "approved": {
      const offer = offerFrom(decision, row.amount, now);
      return recordDecided(db, row, now, {
        ...decided,
        status: "approved",
        offerAmount: offer.amount,
        offerAnnualRateBps: offer.annualRateBps,
        offerTermMonths: offer.termMonths,
        offerMonthlyPayment: offer.monthlyPayment,
        offerTotalRepayable: offer.totalRepayable,
        offerExpiresAt: offer.expiresAt,
        eventId: uuidv7(now.getTime()),
      });
    }
    case "declined":
      return recordDecided(db, row, now, {
        ...decided,
        status: "declined",
        declineCode: ERRORS[DECLINE_ERRORS[decision.reason]].code,
        eventId: uuidv7(now.getTime()),
      });
    case "review":
      return recordScoring(db, row, {
        status: "in_progress",
        scoringReference: decision.reference,
        failureCode: null,
      });
  }
}

/** Hands the application to the scoring system; an unreachable system leaves it `failed`. */
async function submit(deps: LendingDeps, row: LoanApplicationRow) {
  let decision: ScoringDecision;
  try {
    decision = await deps.scoring.submit(requestOf(row));
  } catch (err) {
    if (isUpstreamFailure(err))
      await recordScoring(deps.db, row, { status: "failed", failureCode: err.code });
    throw err;
  }
  return recordDecision(deps.db, row, decision);
}

/**
 * An application under review asks the scoring system again: its decision is recorded
 * (and its event published) by the first read, or run of the cron's follow-up, that learns of it.
 */
export async function refreshApplication(deps: LendingDeps, row: LoanApplicationRow) {
  if (row.status !== "in_progress" || row.scoringReference === null) return row;
  return recordDecision(deps.db, row, await deps.scoring.poll(requestOf(row), row.scoringReference));
}

/**
 * Sends the decision's event (approved or declined), committed with the decision, unless
 * already sent; one that fails stays in the event outbox for its drainer.
 */
export async function publishDecision(deps: LendingDeps, row: LoanApplicationRow) {
  if (row.eventId !== null) await sendPending(deps.db, deps.queue, [row.eventId]);
}

/**
 * The cron's follow-up: up to `limit` applications under review ask the scoring system again,
 * through the same step as a read, so a decision is recorded (and its event published) once
 * whether the cron or a read learns of it first. The scoring connector is built only when there
 * is something to ask. One whose poll fails is logged and asked again on a later run.
 */
export async function followUpReviews(
  deps: Omit<LendingDeps, "scoring">,
  opts: { limit: number; scoring: () => ScoringConnector; log: Pick<Logger, "warn"> },
) {
  const underReview = await applicationsUnderReview(deps.db, opts.limit);
  if (underReview.length === 0) return { under_review: 0, decided: 0, failed: 0 };
  const withScoring = { ...deps, scoring: opts.scoring() };
  const { done, failed } = await eachItem(
    underReview,
    async (row) => {
      const after = await refreshApplication(withScoring, row);
      if (after.status === "in_progress") return false;
      await publishDecision(withScoring, after);
      return true;
    },
    (row, error) => opts.log.warn("loan application follow-up failed", { application_id: row.id, error }),
  );
  return { under_review: underReview.length, decided: done, failed };
}

function declineError(row: LoanApplicationRow): ApiError {
  const reason = Object.values(DECLINE_ERRORS).find((n) => ERRORS[n].code === row.declineCode);
  return new ApiError(reason ?? "scoring_elevated_risk");
}

/**
 * Applies for micro-credit and scores the applicant. Approved: the application with its
 * offer. Declined: the bank's error 1002 or 1003 (002), the application kept as `declined`
 * with a `loan_application.declined` event. Referred to review: `in_progress`. One
 * application per Idempotency-Key: a retry after a failure or a crash resumes it.
 */
export async function applyForLoan(
  deps: LendingDeps,
  partner: PartnerProfile,
  idempotencyKey: string,
  params: ApplyParams,
): Promise<LoanApplication> {
  const now = new Date().toISOString();
  let row = await insertApplication(deps.db, {
    id: uuidv7(),
    partnerId: partner.id,
    livemode: partner.environment === "production",
    idempotencyKey,
    status: "in_progress",
    fullName: params.applicant.full_name,
    documentNumber: params.applicant.document_number,
    phoneNumber: params.applicant.phone_number,
    birthDate: params.applicant.birth_date,
    amount: params.amount,
    currency: params.currency,
    termMonths: params.term_months,
    createdAt: now,
    updatedAt: now,
  });
  if (row.status === "failed" || (row.status === "in_progress" && row.scoringReference === null)) {
    row = await submit(deps, row);
  }
  await publishDecision(deps, row);
  if (row.status === "declined") throw declineError(row);
  return applicationView(row, new Date());
}

/** The partner's application, by the bank's rules (002): unknown 1000, still being scored 1001. */
export async function loadApplication(deps: LendingDeps, partnerId: string, id: string) {
  const found = await findApplication(deps.db, partnerId, id);
  if (!found) throw new ApiError("application_not_found");
  const row = await refreshApplication(deps, found);
  if (row.status === "in_progress") throw new ApiError("application_in_progress");
  await publishDecision(deps, row);
  return row;
}

export async function getApplication(deps: LendingDeps, partnerId: string, id: string) {
  return applicationView(await loadApplication(deps, partnerId, id), new Date());
}

/**
 * The partner's applications, newest first, as recorded: the scoring system is not asked
 * from a list, so one under review is listed `in_progress` until a retrieve or the cron's
 * follow-up learns its decision. An approved offer past its expiry is listed (and filtered) as `expired`.
 */
export async function listApplications(
  db: Db,
  partnerId: string,
  opts: { status?: ApplicationStatus; startingAfter?: string; limit: number },
): Promise<{ data: LoanApplication[]; has_more: boolean }> {
  const now = new Date();
  const rows = await applicationPage(db, partnerId, { ...opts, now: now.toISOString() });
  return {
    data: rows.slice(0, opts.limit).map((row) => applicationView(row, now)),
    has_more: rows.length > opts.limit,
  };
}
