import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { GRANT_TYPES } from "../../../src/modules/oauth/grants";
import { ALL_SCOPES } from "../../../src/platform/catalog";
import { call } from "../../support/http";

const ALGS = ["ES256", "PS256", "EdDSA"];
const METHODS = ["client_secret_basic", "private_key_jwt", "tls_client_auth"];

describe("GET /.well-known/oauth-authorization-server (RFC 8414)", () => {
  it("advertises exactly what the server supports", async () => {
    const { res, body } = await call("GET", "/.well-known/oauth-authorization-server");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(body).toEqual({
      issuer: env.ISSUER,
      authorization_endpoint: "http://portico.test/authorize",
      token_endpoint: "http://portico.test/oauth2/token",
      pushed_authorization_request_endpoint: "http://portico.test/oauth2/par",
      require_pushed_authorization_requests: true,
      revocation_endpoint: "http://portico.test/oauth2/revoke",
      introspection_endpoint: "http://portico.test/oauth2/introspect",
      jwks_uri: "http://portico.test/.well-known/jwks.json",
      grant_types_supported: ["password", "client_credentials", "authorization_code", "refresh_token"],
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      code_challenge_methods_supported: ["S256"],
      token_endpoint_auth_methods_supported: METHODS,
      token_endpoint_auth_signing_alg_values_supported: ALGS,
      revocation_endpoint_auth_methods_supported: METHODS,
      revocation_endpoint_auth_signing_alg_values_supported: ALGS,
      introspection_endpoint_auth_methods_supported: METHODS,
      introspection_endpoint_auth_signing_alg_values_supported: ALGS,
      dpop_signing_alg_values_supported: ALGS,
      tls_client_certificate_bound_access_tokens: true,
      authorization_response_iss_parameter_supported: true,
      scopes_supported: ALL_SCOPES,
      service_documentation: "http://portico.test/docs",
    });
  });

  it("lists every grant the token endpoint takes, and the token endpoint takes every grant it lists", async () => {
    const { body } = await call("GET", "/.well-known/oauth-authorization-server");
    expect(body.grant_types_supported).toEqual(GRANT_TYPES);
    const unsupported = await call("POST", "/oauth2/token", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=implicit",
    });
    expect(unsupported.res.status).toBe(401);
  });

  it("every endpoint it advertises is served (none answers 404)", async () => {
    const { body } = await call("GET", "/.well-known/oauth-authorization-server");
    for (const key of ["token_endpoint", "revocation_endpoint", "introspection_endpoint"]) {
      const r = await call("POST", new URL(body[key]).pathname, {
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "",
      });
      expect(r.res.status).toBe(401);
      expect(r.body.error).toBe("invalid_client");
    }
    const jwks = await call("GET", new URL(body.jwks_uri).pathname);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
  });
});
