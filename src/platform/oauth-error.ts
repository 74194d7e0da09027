export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "invalid_dpop_proof"
  | "use_dpop_nonce"
  | "invalid_request_uri"
  | "unsupported_token_type"
  | "access_denied";

/**
 * An RFC 6749 §5.2 error: the authorization server's endpoints answer these, not the /v1
 * envelope. `code` is the catalogue's code where the refusal is one the catalogue names (23: the
 * IP allow-list); `headers` go on the answer (`DPoP-Nonce` with use_dpop_nonce, RFC 9449 §8).
 */
export class OAuthError extends Error {
  override name = "OAuthError";
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: 400 | 401 | 403 | 404 | 405 | 413 | 415 = error === "invalid_client" ? 401 : 400,
    readonly code?: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}
