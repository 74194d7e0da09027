import type { Config, Env } from "../../platform/env";
import { ApiError, ERRORS } from "../../platform/errors";
import type { PartnerProfile } from "../../platform/types";
import type { AccessClaims } from "../oauth/access-tokens";
import { DpopRejected, verifyDpopProof } from "../oauth/dpop";
import { certificateThumbprint, presentedCertificate } from "../oauth/tls-certificate";
import { bearerChallenge, dpopChallenge } from "./www-authenticate";

export type TokenScheme = "bearer" | "dpop";

/** What the sender checks read of a resource request. */
export interface SenderRequest {
  config: Config;
  env: Env;
  method: string;
  url: string;
  /** The `DPoP` header. */
  dpop: string | undefined;
  /** `request.cf`: the client certificate the edge verified. */
  cf: Request["cf"];
}

const refuse = (
  reason: keyof typeof ERRORS,
  challenge: string,
  params: Record<string, string> = {},
): never => {
  throw new ApiError(reason, params, { headers: { "WWW-Authenticate": challenge } });
};

/**
 * Holds a token to what it is bound to (its `cnf`): the DPoP key, whose proof for this request
 * (with `ath`) the `DPoP` header carries (RFC 9449 §7), and the client certificate presented over
 * mutual TLS (RFC 8705 §3). A FAPI partner's token must be bound. A standard partner's plain
 * bearer token returns at once: no I/O and no crypto beyond what verified the token.
 */
export async function confirmSender(
  request: SenderRequest,
  claims: AccessClaims,
  profile: PartnerProfile,
  scheme: TokenScheme,
  token: string,
): Promise<void> {
  const { cnf } = claims;
  if (!cnf && scheme === "bearer") {
    if (profile.securityProfile !== "fapi") return;
    const { message } = ERRORS.sender_constraint_required;
    refuse("sender_constraint_required", `${bearerChallenge(message)}, ${dpopChallenge()}`);
  }
  const jkt = cnf?.jkt;
  if (scheme === "dpop" && jkt === undefined)
    refuse("dpop_key_mismatch", dpopChallenge("invalid_token", "The token is not bound to a DPoP key"));
  if (jkt !== undefined) {
    if (scheme !== "dpop")
      refuse("dpop_proof_required", dpopChallenge("invalid_token", ERRORS.dpop_proof_required.message));
    const { config, env } = request;
    let proven: string;
    try {
      ({ jkt: proven } = await verifyDpopProof({ config, env }, request.dpop, {
        method: request.method,
        url: request.url,
        clientId: claims.client_id,
        accessToken: token,
      }));
    } catch (err) {
      if (!(err instanceof DpopRejected)) throw err;
      if (err.failure === "replayed")
        return refuse("dpop_proof_replayed", dpopChallenge("invalid_dpop_proof", err.description));
      return refuse("dpop_proof_invalid", dpopChallenge("invalid_dpop_proof", err.description), {
        detail: err.description,
      });
    }
    if (proven !== jkt)
      refuse("dpop_key_mismatch", dpopChallenge("invalid_token", ERRORS.dpop_key_mismatch.message));
  }
  const x5t = cnf?.["x5t#S256"];
  if (x5t !== undefined) {
    const presented = certificateThumbprint(presentedCertificate(request.cf));
    if (presented === undefined)
      refuse("client_certificate_required", bearerChallenge(ERRORS.client_certificate_required.message));
    if (presented !== x5t)
      refuse("client_certificate_mismatch", bearerChallenge(ERRORS.client_certificate_mismatch.message));
  }
}
