import { z } from "zod";
import { ApiError } from "../../../platform/errors";
import type { HttpUpstream } from "../../../platform/upstream";
import { KYC_FIELDS, type KycAnswer, type KycClaim, type KycConnector } from "./types";

const Check = z.enum(["match", "no_match"]);
const Answer = z.object({
  found: z.boolean(),
  checks: z.object({
    full_name: Check.optional(),
    birth_date: Check.optional(),
    document_number: Check.optional(),
  }),
});

/**
 * The bank's customer records over HTTP (system `kyc`), on the shared upstream client
 * (timeouts, retries, breaker; 1004/1005/91). The bank's contract, relative to its base URL:
 * `POST verifications {identifier: {type, value}, full_name?, birth_date?, document_number?}`
 * → `{found, checks: {<field>: "match" | "no_match"}}`, a check for every field sent.
 * The bank compares; its records never travel.
 */
export class HttpKycConnector implements KycConnector {
  constructor(private readonly upstream: HttpUpstream) {}

  async verify(claim: KycClaim): Promise<KycAnswer> {
    const answer = Answer.safeParse(
      await this.upstream.call("POST", "verifications", { identifier: claim.identifier, ...claim.claimed }),
    );
    const complete =
      answer.success && KYC_FIELDS.every((f) => claim.claimed[f] === undefined || answer.data.checks[f]);
    if (!answer.success || !complete)
      throw new ApiError("upstream_failed", { status: 200, msg: "unexpected answer" });
    return answer.data;
  }
}
