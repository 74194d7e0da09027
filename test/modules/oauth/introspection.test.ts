import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { call, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { forgeToken } from "../../support/tokens";
import { authorisedConsent, clientPost, consentCode, consentTokens, exchange, refresh } from "./consent-flow";

const introspect = clientPost.bind(null, "/oauth2/introspect");
const INACTIVE = { active: false };

describe("POST /oauth2/introspect (RFC 7662)", () => {
  it("a partner's own access token: active, with its claims", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const token = await tokenFor(p, "payments:read");
    const r = await introspect(p, { token });
    expect(r.res.status).toBe(200);
    expect(r.res.headers.get("Cache-Control")).toBe("no-store");
    const claims = decodeJwt(token);
    expect(r.body).toEqual({
      active: true,
      scope: "payments:read",
      client_id: p.consumerKey,
      token_type: "Bearer",
      exp: claims.exp,
      iat: claims.iat,
      sub: p.id,
      aud: env.AUDIENCE,
      iss: env.ISSUER,
      jti: claims.jti,
    });
  });

  it("a consent-bound access token and its refresh token name the consent", async () => {
    const p = await provisionPartner();
    const consent = await authorisedConsent(p);
    const c = await consentCode(p, { consentId: consent.id });
    const { body } = await exchange(p, c);
    const access = await introspect(p, { token: body.access_token });
    expect(access.body).toMatchObject({
      active: true,
      consent_id: consent.id,
      token_type: "Bearer",
      scope: "accounts:read",
      jti: decodeJwt(body.access_token).jti,
    });
    const refreshToken = await introspect(p, { token: body.refresh_token, token_type_hint: "refresh_token" });
    expect(refreshToken.body).toEqual({
      active: true,
      scope: "accounts:read",
      client_id: p.consumerKey,
      token_type: "refresh_token",
      exp: Math.floor(Date.parse(consent.expiresAt) / 1000),
      iat: expect.any(Number),
      sub: p.id,
      iss: env.ISSUER,
      consent_id: consent.id,
    });
  });

  it("inactive: expired, revoked, malformed, rotated, or of a consent no longer Authorised", async () => {
    const p = await provisionPartner();
    const now = Math.floor(Date.now() / 1000);
    const expired = await forgeToken(p.id, p.consumerKey, { iat: now - 7200, exp: now - 3600 });
    expect((await introspect(p, { token: expired })).body).toEqual(INACTIVE);
    for (const token of ["garbage", "a.b.c", ""]) {
      if (token) expect((await introspect(p, { token })).body).toEqual(INACTIVE);
    }
    const revoked = await tokenFor(p);
    await clientPost("/oauth2/revoke", p, { token: revoked });
    expect((await introspect(p, { token: revoked })).body).toEqual(INACTIVE);

    const flow = await consentTokens(p);
    const next = await refresh(p, flow.body.refresh_token);
    expect((await introspect(p, { token: flow.body.refresh_token })).body).toEqual(INACTIVE);
    expect((await introspect(p, { token: next.body.refresh_token })).body.active).toBe(true);

    const consent = await authorisedConsent(p);
    const bound = await exchange(p, await consentCode(p, { consentId: consent.id }));
    await call("POST", `/v1/consents/${consent.id}/revoke`, { token: consent.token });
    expect((await introspect(p, { token: bound.body.access_token })).body).toEqual(INACTIVE);
    expect((await introspect(p, { token: bound.body.refresh_token })).body).toEqual(INACTIVE);
  });

  it("a revoked grant's tokens are inactive", async () => {
    const p = await provisionPartner();
    const flow = await consentTokens(p);
    await clientPost("/oauth2/revoke", p, { token: flow.body.refresh_token });
    expect((await introspect(p, { token: flow.body.access_token })).body).toEqual(INACTIVE);
    expect((await introspect(p, { token: flow.body.refresh_token })).body).toEqual(INACTIVE);
  });

  it("attack: another partner's token is inactive, whatever its kind", async () => {
    const owner = await provisionPartner();
    const other = await provisionPartner();
    const own = await tokenFor(owner);
    const flow = await consentTokens(owner);
    for (const token of [own, flow.body.access_token, flow.body.refresh_token]) {
      const r = await introspect(other, { token });
      expect(r.res.status).toBe(200);
      expect(r.body).toEqual(INACTIVE);
    }
    expect((await introspect(owner, { token: own })).body.active).toBe(true);
  });

  it("requires the token and client authentication", async () => {
    const p = await provisionPartner();
    const missing = await introspect(p, {});
    expect(missing.res.status).toBe(400);
    expect(missing.body).toEqual({ error: "invalid_request", error_description: "token is required" });
    const wrong = await introspect({ consumerKey: p.consumerKey, consumerSecret: "nope" }, { token: "x" });
    expect(wrong.res.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_client");
    expect(wrong.res.headers.get("WWW-Authenticate")).toBe('Basic realm="portico"');
    const big = await introspect(p, { token: "x".repeat(70_000) });
    expect(big.res.status).toBe(413);
  });
});
