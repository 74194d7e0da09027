import { DPOP_ALGS } from "../oauth/dpop";

/** The exact WWW-Authenticate texts of the bank's contract (docs/authentication.md). */
export const WWW_AUTHENTICATE = {
  missing: 'Bearer realm="oauth2-resource"',
  invalid:
    'Bearer realm="oauth2-resource", error="invalid_token", error_description="The token is malformed or invalid."',
  expired:
    'Bearer realm="oauth2-resource", error="invalid_token", error_description="The access token expired"',
} as const;

/** The DPoP challenge (RFC 9449 §7.1): the proof algorithms accepted, and the error when there is one. */
export function dpopChallenge(error?: "invalid_token" | "invalid_dpop_proof", description?: string): string {
  const algs = `DPoP algs="${DPOP_ALGS.join(" ")}"`;
  if (!error) return algs;
  return `${algs}, error="${error}"${description ? `, error_description="${description.replace(/["\\]/g, "'")}"` : ""}`;
}

/** A Bearer challenge with an invalid_token error, for a certificate-bound (mutual-TLS) token. */
export const bearerChallenge = (description: string) =>
  `Bearer realm="oauth2-resource", error="invalid_token", error_description="${description.replace(/["\\]/g, "'")}"`;
