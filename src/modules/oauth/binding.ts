import type { ClientRequest, OAuthDeps, TokenBinding } from "./types";

/**
 * What a token issued for this request is bound to: the DPoP key the `DPoP` proof shows
 * (RFC 9449), or the mutual-TLS certificate (RFC 8705); nothing for a plain bearer request.
 */
export async function bindingOf(
  _deps: OAuthDeps,
  _request: ClientRequest,
  _clientId: string,
): Promise<TokenBinding> {
  return {};
}
