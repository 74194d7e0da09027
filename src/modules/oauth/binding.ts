import { OAuthError } from "../../platform/oauth-error";
import type { PartnerProfile } from "../../platform/types";
import { requireDpopNonce } from "./dpop-nonce";
import { certificateThumbprint } from "./tls-certificate";
import type { ClientRequest, OAuthDeps, TokenBinding, TokenResponse } from "./types";

/**
 * What a token issued for this request is bound to: the DPoP key the `DPoP` proof shows
 * (RFC 9449, the server nonce required), and/or the mutual-TLS certificate the edge verified
 * (RFC 8705); nothing for a plain bearer request. A bad proof is refused (invalid_dpop_proof,
 * use_dpop_nonce), never ignored.
 */
export async function bindingOf(
  deps: OAuthDeps,
  request: ClientRequest,
  clientId: string,
): Promise<TokenBinding> {
  const x5t = certificateThumbprint(request.tlsClientAuth);
  const dpop = request.dpop !== undefined ? await requireDpopNonce(deps, request, clientId) : undefined;
  return {
    ...(dpop ? { jkt: dpop.jkt } : {}),
    ...(x5t ? { "x5t#S256": x5t } : {}),
  };
}

export const isBound = (binding: TokenBinding): boolean =>
  binding.jkt !== undefined || binding["x5t#S256"] !== undefined;

/** A DPoP-bound token is a `DPoP` token (RFC 9449 §5); a certificate-bound one stays `Bearer` (RFC 8705 §3). */
export const tokenTypeOf = (binding: TokenBinding): TokenResponse["token_type"] =>
  binding.jkt !== undefined ? "DPoP" : "Bearer";

/** FAPI 2.0 §5.3.2.2: a FAPI partner gets sender-constrained tokens only. */
export function requireSenderConstraint(profile: PartnerProfile, binding: TokenBinding): void {
  if (profile.securityProfile === "fapi" && !isBound(binding)) {
    throw new OAuthError(
      "invalid_request",
      "The contract's FAPI profile issues sender-constrained tokens only: send a DPoP proof or present the client certificate over mutual TLS",
    );
  }
}
