import type { OpenAPIHono } from "@hono/zod-openapi";
import { ALL_SCOPES } from "../../../platform/catalog";
import type { AppEnv } from "../../../platform/types";
import { publicJwks } from "../access-tokens";

export function registerMetadataRoutes(app: OpenAPIHono<AppEnv>) {
  app.get("/.well-known/jwks.json", async (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(await publicJwks(c.get("services").config));
  });

  // RFC 8414 authorization server metadata: only what the token endpoint does. There is no
  // authorization endpoint, so no response type is supported; the member is REQUIRED, hence `[]`.
  // Clients authenticate with client_secret_basic only, so no JWT-assertion signing algorithms.
  app.get("/.well-known/oauth-authorization-server", (c) => {
    const { config } = c.get("services");
    const origin = new URL(c.req.url).origin;
    c.header("Cache-Control", "public, max-age=300");
    return c.json({
      issuer: config.ISSUER,
      token_endpoint: `${origin}/oauth2/token`,
      jwks_uri: `${origin}/.well-known/jwks.json`,
      grant_types_supported: ["password", "client_credentials"],
      token_endpoint_auth_methods_supported: ["client_secret_basic"],
      response_types_supported: [],
      scopes_supported: ALL_SCOPES,
      service_documentation: `${origin}/docs`,
    });
  });
}
