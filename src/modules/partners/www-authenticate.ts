/** The exact WWW-Authenticate texts of the bank's contract (docs/authentication.md). */
export const WWW_AUTHENTICATE = {
  missing: 'Bearer realm="oauth2-resource"',
  invalid:
    'Bearer realm="oauth2-resource", error="invalid_token", error_description="The token is malformed or invalid."',
  expired:
    'Bearer realm="oauth2-resource", error="invalid_token", error_description="The access token expired"',
} as const;
