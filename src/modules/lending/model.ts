import { ERRORS, type ErrorName } from "../../platform/errors";
import type { Currency } from "../../platform/lib/money";
import type { LoanApplicationRow, LoanRow } from "./storage";

/** The longest term a partner may ask for, and a scoring system may offer. */
export const MAX_TERM_MONTHS = 60;
/** The highest annual rate Portico takes from a scoring system (200 %): anything above is a failed answer. */
export const MAX_ANNUAL_RATE_BPS = 20_000;

/** Why scoring refused: the bank's codes 1002 and 1003. */
export const DECLINE_REASONS = ["overdue_loans", "elevated_risk"] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const APPLICATION_STATUSES = [
  "in_progress",
  "approved",
  "declined",
  "expired",
  "accepted",
  "failed",
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const DECLINE_ERRORS = {
  overdue_loans: "scoring_overdue_loans",
  elevated_risk: "scoring_elevated_risk",
} as const satisfies Record<DeclineReason, ErrorName>;
export type DeclineError = (typeof DECLINE_ERRORS)[DeclineReason];

/** Why the scoring system could not be asked: the codes an upstream failure answers. */
export const FAILURE_ERRORS = ["upstream_empty", "upstream_failed", "upstream_unavailable"] as const;
export type FailureError = (typeof FAILURE_ERRORS)[number];

const byCode = <N extends ErrorName>(names: readonly N[], code: number | null): N | undefined =>
  names.find((n) => ERRORS[n].code === code);

export interface LoanOffer {
  amount: number;
  currency: Currency;
  annual_rate_bps: number;
  term_months: number;
  monthly_payment: number;
  total_repayable: number;
  expires_at: string;
}

export interface LoanApplication {
  id: string;
  object: "loan_application";
  status: ApplicationStatus;
  applicant: { full_name: string; document_number: string; phone_number: string; birth_date: string };
  amount: number;
  currency: Currency;
  term_months: number;
  offer: LoanOffer | null;
  decline: { code: number; reason: DeclineError; message: string } | null;
  failure: { code: number; reason: FailureError; message: string } | null;
  loan_id: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
  livemode: boolean;
}

/** The status a partner sees: an approved offer past its expiry is `expired`. */
export function applicationStatus(row: LoanApplicationRow, now: Date): ApplicationStatus {
  if (row.status === "approved" && row.offerExpiresAt !== null && now.toISOString() >= row.offerExpiresAt) {
    return "expired";
  }
  return row.status;
}

function offerOf(row: LoanApplicationRow): LoanOffer | null {
  if (
    row.offerAmount === null ||
    row.offerAnnualRateBps === null ||
    row.offerTermMonths === null ||
    row.offerMonthlyPayment === null ||
    row.offerTotalRepayable === null ||
    row.offerExpiresAt === null
  ) {
    return null;
  }
  return {
    amount: row.offerAmount,
    currency: row.currency,
    annual_rate_bps: row.offerAnnualRateBps,
    term_months: row.offerTermMonths,
    monthly_payment: row.offerMonthlyPayment,
    total_repayable: row.offerTotalRepayable,
    expires_at: row.offerExpiresAt,
  };
}

/** The applicant as kept with the application (masked on the way out unless licensed). */
export const applicantOf = (row: LoanApplicationRow) => ({
  full_name: row.fullName,
  document_number: row.documentNumber,
  phone_number: row.phoneNumber,
  birth_date: row.birthDate,
});
export function applicationView(row: LoanApplicationRow, now: Date): LoanApplication {
  const declined = byCode(Object.values(DECLINE_ERRORS), row.declineCode);
  const failed = row.status === "failed" ? byCode(FAILURE_ERRORS, row.failureCode) : undefined;
  return {
    id: row.id,
    object: "loan_application",
    status: applicationStatus(row, now),
    applicant: applicantOf(row),
    amount: row.amount,
    currency: row.currency,
    term_months: row.termMonths,
    offer: offerOf(row),
    decline: declined
      ? { code: ERRORS[declined].code, reason: declined, message: ERRORS[declined].message }
      : null,
    failure: failed ? { code: ERRORS[failed].code, reason: failed, message: ERRORS[failed].message } : null,
    loan_id: row.loanId,
    decided_at: row.decidedAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    livemode: row.livemode,
  };
}

/** What events carry: the application without the applicant (webhooks are not masked). */
export function applicationEventObject(row: LoanApplicationRow, now: Date): Record<string, unknown> {
  const { applicant: _applicant, ...rest } = applicationView(row, now);
  return rest;
}

export interface Loan {
  id: string;
  object: "loan";
  application_id: string;
  status: "accepted" | "disbursed";
  amount: number;
  currency: Currency;
  annual_rate_bps: number;
  term_months: number;
  monthly_payment: number;
  total_repayable: number;
  disbursed_at: string | null;
  created_at: string;
  updated_at: string;
  livemode: boolean;
}

export function loanView(row: LoanRow): Loan {
  return {
    id: row.id,
    object: "loan",
    application_id: row.applicationId,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    annual_rate_bps: row.annualRateBps,
    term_months: row.termMonths,
    monthly_payment: row.monthlyPayment,
    total_repayable: row.totalRepayable,
    disbursed_at: row.disbursedAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    livemode: row.livemode,
  };
}
