import { z } from "zod";
import { ApiError } from "../../../platform/errors";
import { HttpUpstream } from "../../../platform/upstream";
import type { TurnstileConnector } from "./types";

/** Cloudflare's siteverify endpoint's base; `UPSTREAM_URLS.turnstile` replaces it (tests, local dev). */
export const TURNSTILE_BASE_URL = "https://challenges.cloudflare.com/turnstile/v0/";

const Answer = z.object({
  success: z.boolean(),
  "error-codes": z.array(z.string()).default([]),
});

/**
 * `POST siteverify {secret, response, remoteip}` → `{success, "error-codes"}`, on the shared
 * upstream client (timeout, breaker; 1004/1005/91). One retry only: a token is single use, and a
 * retried check after a lost answer is refused as `timeout-or-duplicate`.
 */
export class HttpTurnstileConnector implements TurnstileConnector {
  private readonly upstream: HttpUpstream;

  constructor(
    private readonly secret: string,
    baseUrl: string,
    timeoutMs: number,
  ) {
    this.upstream = new HttpUpstream({ system: "turnstile", baseUrl, timeoutMs, retries: 1 });
  }

  async verify(token: string, remoteIp: string | undefined) {
    const answer = Answer.safeParse(
      await this.upstream.call("POST", "siteverify", {
        secret: this.secret,
        response: token,
        ...(remoteIp ? { remoteip: remoteIp } : {}),
      }),
    );
    if (!answer.success) throw new ApiError("upstream_failed", { status: 200, msg: "unexpected answer" });
    return { success: answer.data.success, errorCodes: answer.data["error-codes"] };
  }
}
