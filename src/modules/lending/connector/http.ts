import { z } from "zod";
import { ApiError } from "../../../platform/errors";
import { MAX_AMOUNT_MINOR } from "../../../platform/lib/money";
import type { HttpUpstream } from "../../../platform/upstream";
import { DECLINE_REASONS, MAX_ANNUAL_RATE_BPS, MAX_TERM_MONTHS } from "../model";
import type { ScoringConnector, ScoringDecision, ScoringRequest } from "./types";

/**
 * The scoring system's answer, for both `POST applications` and `GET applications/{reference}`.
 * Paths are relative: configure the system's base URL with a trailing slash.
 */
const Answer = z.discriminatedUnion("decision", [
  z.object({
    decision: z.literal("approved"),
    reference: z.string().min(1).max(200),
    approved_amount: z.number().int().positive().max(MAX_AMOUNT_MINOR),
    annual_rate_bps: z.number().int().min(0).max(MAX_ANNUAL_RATE_BPS),
    term_months: z.number().int().min(1).max(MAX_TERM_MONTHS),
  }),
  z.object({
    decision: z.literal("declined"),
    reference: z.string().min(1).max(200),
    reason: z.enum(DECLINE_REASONS),
  }),
  z.object({ decision: z.literal("review"), reference: z.string().min(1).max(200) }),
]);

function toDecision(raw: unknown): ScoringDecision {
  const parsed = Answer.safeParse(raw);
  // An answer we cannot read is a failed answer (1005); its content is never echoed.
  if (!parsed.success) throw new ApiError("upstream_failed", { status: 200, msg: "unexpected answer" });
  const a = parsed.data;
  if (a.decision === "approved") {
    return {
      decision: "approved",
      reference: a.reference,
      approvedAmount: a.approved_amount,
      annualRateBps: a.annual_rate_bps,
      termMonths: a.term_months,
    };
  }
  return a;
}

/** The bank's scoring system over HTTP (system `scoring`). */
export class HttpScoring implements ScoringConnector {
  readonly name = "scoring";

  constructor(private readonly upstream: HttpUpstream) {}

  async submit(req: ScoringRequest): Promise<ScoringDecision> {
    return toDecision(
      await this.upstream.call("POST", "applications", {
        application_id: req.applicationId,
        submitted_at: req.submittedAt,
        applicant: req.applicant,
        amount: req.amount,
        currency: req.currency,
        term_months: req.termMonths,
      }),
    );
  }

  async poll(_req: ScoringRequest, reference: string): Promise<ScoringDecision> {
    return toDecision(await this.upstream.call("GET", `applications/${encodeURIComponent(reference)}`));
  }
}
