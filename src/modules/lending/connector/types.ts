import type { Currency } from "../../../platform/lib/money";
import type { DeclineReason } from "../model";

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
