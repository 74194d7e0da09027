import type { OpenAPIHono } from "@hono/zod-openapi";
import { ALL_SCOPES } from "../../../platform/catalog";
import type { AppEnv } from "../../../platform/types";
import { publicJwks } from "../access-tokens";
import { ASSERTION_ALGS } from "../client-keys";
import { DPOP_ALGS } from "../dpop";
import { GRANT_TYPES } from "../grants";

/** How clients authenticate, at the token, PAR, revocation and introspection endpoints alike. */
const CLIENT_AUTH_METHODS = ["client_secret_basic", "private_key_jwt", "tls_client_auth"];
/** JWS algorithms of client assertions (RFC 7523), as client authentication allows them. */
const SIGNING_ALGS = [...ASSERTION_ALGS];

export function registerMetadataRoutes(app: OpenAPIHono<AppEnv>) {
  app.get("/.well-known/jwks.json", async (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(await publicJwks(c.get("services").config));
  });

  // RFC 8414 authorization server metadata: exactly what the server does (docs/oauth-tokens.md).
  app.get("/.well-known/oauth-authorization-server", (c) => {
    const { config } = c.get("services");
    const origin = new URL(c.req.url).origin;
    c.header("Cache-Control", "public, max-age=300");
    return c.json({
      issuer: config.ISSUER,
      authorization_endpoint: `${origin}/authorize`,
      token_endpoint: `${origin}/oauth2/token`,
      pushed_authorization_request_endpoint: `${origin}/oauth2/par`,
      require_pushed_authorization_requests: true,
      revocation_endpoint: `${origin}/oauth2/revoke`,
      introspection_endpoint: `${origin}/oauth2/introspect`,
      jwks_uri: `${origin}/.well-known/jwks.json`,
      grant_types_supported: GRANT_TYPES,
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      token_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS,
      revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      revocation_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS,
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      introspection_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS,
      dpop_signing_alg_values_supported: [...DPOP_ALGS],
      tls_client_certificate_bound_access_tokens: true,
      authorization_response_iss_parameter_supported: true,
      scopes_supported: ALL_SCOPES,
      service_documentation: `${origin}/docs`,
    });
  });
}
