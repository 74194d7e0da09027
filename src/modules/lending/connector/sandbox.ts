import { ApiError } from "../../../platform/errors";
import type { ScoringConnector, ScoringDecision, ScoringRequest } from "./types";

/**
 * Sandbox test values: the applicant's `document_number` picks the scoring outcome
 * (each ends in the code it triggers). Any other document number is approved in full.
 */
export const SANDBOX_SCORING_DOCUMENTS = {
  /** Declined: overdue payments on active loans, code 1002. */
  overdueLoans: "30000000001002",
  /** Declined: elevated customer risk, code 1003. */
  elevatedRisk: "30000000001003",
  /** The scoring system answers nothing: code 1004. */
  upstreamEmpty: "30000000001004",
  /** The scoring system answers with a failure: code 1005. */
  upstreamFailed: "30000000001005",
  /** Referred to an underwriter: `in_progress` (reads answer 1001) for SANDBOX_REVIEW_MS, then approved. */
  review: "30000000000001",
  /** Approved for half the amount asked (a counter-offer). */
  counterOffer: "30000000000002",
} as const;

/** The sandbox's annual interest rate, in basis points (24 %). */
export const SANDBOX_ANNUAL_RATE_BPS = 2_400;
/** How long the sandbox underwriter takes over a referred application. */
export const SANDBOX_REVIEW_MS = 60_000;

/** The sandbox scoring system: deterministic by document number, nothing leaves the sandbox. */
export class SandboxScoring implements ScoringConnector {
  readonly name = "sandbox";

  async submit(req: ScoringRequest): Promise<ScoringDecision> {
    return this.decide(req, Date.now());
  }

  async poll(req: ScoringRequest, _reference: string): Promise<ScoringDecision> {
    return this.decide(req, Date.now());
  }

  private decide(req: ScoringRequest, now: number): ScoringDecision {
    const reference = `sbx_scr_${req.applicationId.replace(/-/g, "")}`;
    const approved = (amount: number): ScoringDecision => ({
      decision: "approved",
      reference,
      approvedAmount: amount,
      annualRateBps: SANDBOX_ANNUAL_RATE_BPS,
      termMonths: req.termMonths,
    });
    const docs = SANDBOX_SCORING_DOCUMENTS;
    switch (req.applicant.document_number) {
      case docs.overdueLoans:
        return { decision: "declined", reference, reason: "overdue_loans" };
      case docs.elevatedRisk:
        return { decision: "declined", reference, reason: "elevated_risk" };
      case docs.upstreamEmpty:
        throw new ApiError("upstream_empty");
      case docs.upstreamFailed:
        throw new ApiError(
          "upstream_failed",
          { status: 503, msg: "Service Unavailable" },
          { retryable: true },
        );
      case docs.review:
        return now < Date.parse(req.submittedAt) + SANDBOX_REVIEW_MS
          ? { decision: "review", reference }
          : approved(req.amount);
      case docs.counterOffer:
        return approved(Math.max(1, Math.floor(req.amount / 2)));
      default:
        return approved(req.amount);
    }
  }
}
