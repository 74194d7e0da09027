export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope";

/**
 * An RFC 6749 §5.2 error: the token endpoint answers these, not the /v1 envelope. `code` is the
 * catalogue's code where the refusal is one the catalogue names (23: the IP allow-list).
 */
export class OAuthError extends Error {
  override name = "OAuthError";
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status: 400 | 401 | 403 | 413 | 415 = error === "invalid_client" ? 401 : 400,
    readonly code?: number,
  ) {
    super(description);
  }
}
