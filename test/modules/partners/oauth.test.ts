import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { partnerCredentials, partnerUsers } from "../../../src/modules/partners/storage";
import { basic, call, requestToken, tokenFor } from "../../support/http";
import { db, provisionPartner, suspendPartner } from "../../support/partners";
import { forgeToken, previousKey } from "../../support/tokens";

describe("POST /oauth2/token", () => {
  it("client_credentials with a form body: an ES256 JWT with the contract's scopes", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const { res, body } = await requestToken(p);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(body.scope.split(" ")).toEqual(
      expect.arrayContaining(["payments:read", "payments:write", "partner:read"]),
    );
    const header = decodeProtectedHeader(body.access_token);
    expect(header).toMatchObject({ alg: "ES256", kid: "test-2026-b", typ: "at+jwt" });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({
      iss: env.ISSUER,
      aud: env.AUDIENCE,
      sub: p.id,
      env: "sandbox",
      scope: body.scope,
    });
    expect(claims.client_id).toBe(p.consumerKey);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("password grant with a JSON body, as in the bank's contract", async () => {
    const p = await provisionPartner();
    const { res, body } = await requestToken(
      p,
      { grant_type: "password", username: p.username, password: p.password },
      false,
    );
    expect(res.status).toBe(200);
    const me = await call("GET", "/v1/partner", { token: body.access_token });
    expect(me.body.result.id).toBe(p.id);
  });

  it("narrows to a requested scope and refuses one the contract lacks", async () => {
    const p = await provisionPartner({ products: ["cards"] });
    const narrow = await requestToken(p, { grant_type: "client_credentials", scope: "cards:read" });
    expect(narrow.body.scope).toBe("cards:read");
    const wide = await requestToken(p, {
      grant_type: "client_credentials",
      scope: "cards:read payments:write",
    });
    expect(wide.res.status).toBe(400);
    expect(wide.body).toEqual({
      error: "invalid_scope",
      error_description: expect.stringContaining("payments:write"),
    });
  });

  it("invalid_client (401 + WWW-Authenticate: Basic) for a missing, malformed or wrong credential", async () => {
    const p = await provisionPartner();
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: "Basic !!!" },
      { Authorization: "Bearer abc" },
      { Authorization: basic(p.consumerKey, "wrong-secret") },
      { Authorization: basic("ck_test_unknown", p.consumerSecret) },
      { Authorization: basic(p.consumerKey, "") },
    ];
    for (const headers of attempts) {
      const r = await call("POST", "/oauth2/token", {
        headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      expect(r.res.status).toBe(401);
      expect(r.res.headers.get("WWW-Authenticate")).toBe('Basic realm="portico"');
      expect(r.body.error).toBe("invalid_client");
      expect(JSON.stringify(r.body)).not.toContain(p.consumerSecret);
    }
  });

  it("refuses a production credential in the sandbox with a clear error", async () => {
    const r = await requestToken({ consumerKey: "ck_live_abc", consumerSecret: "cs_live_x" });
    expect(r.res.status).toBe(401);
    expect(r.body).toEqual({
      error: "invalid_client",
      error_description: "This is a production credential; the sandbox environment does not accept it",
    });
  });

  it("invalid_grant for a wrong password or unknown user; nothing says which", async () => {
    const p = await provisionPartner();
    const wrong = await requestToken(p, { grant_type: "password", username: p.username, password: "nope" });
    const unknown = await requestToken(p, { grant_type: "password", username: "ghost", password: "nope" });
    for (const r of [wrong, unknown]) {
      expect(r.res.status).toBe(400);
      expect(r.body).toEqual({
        error: "invalid_grant",
        error_description: "The user credentials are invalid",
      });
    }
  });

  it("another partner's user cannot log in through my key", async () => {
    const a = await provisionPartner();
    const b = await provisionPartner();
    const r = await requestToken(a, { grant_type: "password", username: b.username, password: b.password });
    expect(r.body.error).toBe("invalid_grant");
  });

  it("invalid_request and unsupported_grant_type", async () => {
    const p = await provisionPartner();
    expect((await requestToken(p, {})).body.error).toBe("invalid_request");
    expect((await requestToken(p, { grant_type: "password", username: p.username })).body.error).toBe(
      "invalid_request",
    );
    const implicit = await requestToken(p, { grant_type: "implicit" });
    expect(implicit.res.status).toBe(400);
    expect(implicit.body).toEqual({
      error: "unsupported_grant_type",
      error_description:
        "Supported grant types: password, client_credentials, authorization_code, refresh_token",
    });
    const badJson = await call("POST", "/oauth2/token", {
      headers: { Authorization: basic(p.consumerKey, p.consumerSecret), "Content-Type": "application/json" },
      body: "{nope",
    });
    expect(badJson.body).toEqual({
      error: "invalid_request",
      error_description: "Request contains invalid JSON format",
    });
    const nonString = await requestToken(p, { grant_type: "client_credentials", scope: 5 } as never, false);
    expect(nonString.body.error).toBe("invalid_request");
    const xml = await call("POST", "/oauth2/token", {
      headers: { Authorization: basic(p.consumerKey, p.consumerSecret), "Content-Type": "application/xml" },
      body: "<grant/>",
    });
    expect(xml.res.status).toBe(415);
    expect(xml.body.error).toBe("invalid_request");
  });

  it("refuses a suspended partner and a revoked credential", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const list = await call("GET", "/v1/partner/credentials", { token });
    await call("DELETE", `/v1/partner/credentials/${list.body.result.data[0].id}`, { token });
    expect((await requestToken(p)).body.error).toBe("invalid_client");

    const q = await provisionPartner();
    await suspendPartner(q.id);
    const r = await requestToken(q);
    expect(r.res.status).toBe(400);
    expect(r.body).toEqual({
      error: "unauthorized_client",
      error_description: "The partner account is suspended",
    });
  });

  it("stores only hashes of secrets and passwords", async () => {
    const p = await provisionPartner();
    const [cred] = await db.select().from(partnerCredentials).where(eq(partnerCredentials.partnerId, p.id));
    const [user] = await db.select().from(partnerUsers).where(eq(partnerUsers.partnerId, p.id));
    expect(cred?.secretHash).toMatch(/^sha256\$[\w-]{22}\$[\w-]{43}$/);
    expect(cred?.secretHash).not.toContain(p.consumerSecret);
    expect(user?.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$[\w-]{22}\$[\w-]{43}$/);
    expect(user?.passwordHash).not.toContain(p.password);
  });
});

describe("keys and metadata", () => {
  it("publishes every live public key, never a private part", async () => {
    const { res, body } = await call("GET", "/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(body.keys.map((k: { kid: string }) => k.kid)).toEqual(["test-2026-b", "test-2026-a"]);
    for (const key of body.keys) {
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
      expect(key.d).toBeUndefined();
    }
  });

  it("accepts tokens of the previous key during a rotation", async () => {
    const p = await provisionPartner();
    const old = await forgeToken(p.id, p.consumerKey, { key: previousKey() });
    const r = await call("GET", "/v1/partner", { token: old });
    expect(r.res.status).toBe(200);
  });

  it("publishes RFC 8414 metadata", async () => {
    const { body } = await call("GET", "/.well-known/oauth-authorization-server");
    expect(body).toMatchObject({
      issuer: env.ISSUER,
      token_endpoint: "http://portico.test/oauth2/token",
      jwks_uri: "http://portico.test/.well-known/jwks.json",
      grant_types_supported: ["password", "client_credentials", "authorization_code", "refresh_token"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt", "tls_client_auth"],
    });
    expect(body.scopes_supported).toContain("payments:write");
  });
});
