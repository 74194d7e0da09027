import type { Currency } from "../../../platform/lib/money";

/** What the scoring system is asked about: the applicant and the credit requested. */
export interface ScoringRequest {
  /** Portico's application id: the scoring system's idempotency key for the inquiry. */
  applicationId: string;
  submittedAt: string;
  applicant: {
    full_name: string;
    document_number: string;
    phone_number: string;
    birth_date: string;
  };
  amount: number;
  currency: Currency;
  termMonths: number;
}

/** The longest term a partner may ask for, and a scoring system may offer. */
export const MAX_TERM_MONTHS = 60;
/** The highest annual rate Portico takes from a scoring system (200 %): anything above is a failed answer. */
export const MAX_ANNUAL_RATE_BPS = 20_000;

/** Why scoring refused: the bank's codes 1002 and 1003. */
export const DECLINE_REASONS = ["overdue_loans", "elevated_risk"] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export type ScoringDecision =
  /** Credit granted: up to `approvedAmount` at `annualRateBps` (1 bp = 0.01 %) over `termMonths`. */
  | {
      decision: "approved";
      reference: string;
      approvedAmount: number;
      annualRateBps: number;
      termMonths: number;
    }
  | { decision: "declined"; reference: string; reason: DeclineReason }
  /** Referred to an underwriter: ask again later with the reference. */
  | { decision: "review"; reference: string };

/**
 * The bank's scoring system. Failures are `ApiError`s: 1004 (empty answer), 1005 (failed
 * answer), 91 (unreachable, breaker open).
 */
export interface ScoringConnector {
  readonly name: string;
  /** Scores an application; repeating it for the same application id is harmless. */
  submit(req: ScoringRequest): Promise<ScoringDecision>;
  /** The current decision on an application the scoring system took (`review` while undecided). */
  poll(req: ScoringRequest, reference: string): Promise<ScoringDecision>;
}
