import { z } from "zod";
import { ApiError } from "../../../platform/errors";
import type { HttpUpstream } from "../../../platform/upstream";
import type { Authentication, Challenge, CustomerIdentityConnector } from "./types";

/** An answer that is not what the contract says is a failed answer (1005), never half-read. */
function parse<T extends z.ZodType>(schema: T, answer: unknown): z.infer<T> {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new ApiError("upstream_failed", { status: 200, msg: "unexpected answer" });
  return parsed.data;
}

const AuthenticationAnswer = z.discriminatedUnion("authenticated", [
  z.object({ authenticated: z.literal(true), customer_ref: z.string().min(1), display_name: z.string() }),
  z.object({ authenticated: z.literal(false) }),
]);

const customerPath = (customerRef: string) => `customers/${encodeURIComponent(customerRef)}`;

/**
 * The bank's customer identity system over HTTP (system `customer_identity`), on the shared
 * upstream client (timeouts, retries, breaker; 1004/1005/91). The bank's contract, relative to
 * its base URL; the password and the code go in the body only, never in a path or query:
 *  - `POST authentications {login, password}` → `{authenticated: true, customer_ref, display_name}` or `{authenticated: false}`
 *  - `POST customers/{ref}/challenges` → `{challenge_id}` (the bank sends or shows the code)
 *  - `POST customers/{ref}/challenges/{id}/verification {code}` → `{verified}`
 */
export class HttpCustomerIdentity implements CustomerIdentityConnector {
  constructor(private readonly upstream: HttpUpstream) {}

  async authenticate(login: string, password: string): Promise<Authentication> {
    const answer = parse(
      AuthenticationAnswer,
      await this.upstream.call("POST", "authentications", { login, password }),
    );
    if (!answer.authenticated) return { ok: false, reason: "invalid_credentials" };
    return { ok: true, customer: { customerRef: answer.customer_ref, displayName: answer.display_name } };
  }

  async startChallenge(customerRef: string): Promise<Challenge> {
    const answer = parse(
      z.object({ challenge_id: z.string().min(1) }),
      await this.upstream.call("POST", `${customerPath(customerRef)}/challenges`, {}),
    );
    return { challengeId: answer.challenge_id };
  }

  async verifyChallenge(customerRef: string, challengeId: string, code: string): Promise<boolean> {
    const path = `${customerPath(customerRef)}/challenges/${encodeURIComponent(challengeId)}/verification`;
    const answer = parse(
      z.object({ verified: z.boolean() }),
      await this.upstream.call("POST", path, { code }),
    );
    return answer.verified;
  }
}
