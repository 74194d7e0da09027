import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { decodeJwt } from "jose";
import * as oauth from "oauth4webapi";
import { describe, expect, it } from "vitest";
import { basic, call } from "../../support/http";
import { provisionPartner, type TestPartner } from "../../support/partners";

// The library's requests go to the Worker under test, whatever host the metadata names.
const options = { [oauth.customFetch]: (url: string, init: RequestInit) => SELF.fetch(url, init) };

/** RFC 8414 §3: the metadata is found from the issuer identifier, and must name that issuer. */
async function discover(): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(env.ISSUER);
  const res = await oauth.discoveryRequest(issuer, { ...options, algorithm: "oauth2" });
  return oauth.processDiscoveryResponse(issuer, res);
}

/** client_credentials as a standard client sends it: id and secret form-encoded, then Basic. */
async function grant(as: oauth.AuthorizationServer, key: string, secret: string) {
  const client: oauth.Client = { client_id: key };
  const res = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic(secret),
    { scope: "partner:read" },
    options,
  );
  return oauth.processClientCredentialsResponse(as, client, res);
}

/** The token endpoint with a hand-made Basic header, as curl or an older client sends it. */
const tokenWith = (authorization: string) =>
  call("POST", "/oauth2/token", {
    headers: { Authorization: authorization, "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });

async function expectPartner(token: string, p: TestPartner) {
  const me = await call("GET", "/v1/partner", { token });
  expect(me.res.status).toBe(200);
  expect(me.body.result.id).toBe(p.id);
}

describe("oauth4webapi against the token endpoint", () => {
  it("discovers the metadata, gets a client_credentials token with client_secret_basic, and uses it", async () => {
    const as = await discover();
    expect(as).toMatchObject({
      issuer: env.ISSUER,
      token_endpoint: `${env.ISSUER}/oauth2/token`,
      grant_types_supported: ["password", "client_credentials", "authorization_code", "refresh_token"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "private_key_jwt", "tls_client_auth"],
      response_types_supported: ["code"],
      authorization_endpoint: `${env.ISSUER}/authorize`,
    });

    const p = await provisionPartner();
    const token = await grant(as, p.consumerKey, p.consumerSecret);
    expect(token).toMatchObject({ token_type: "bearer", scope: "partner:read", expires_in: 3600 });
    // The claim names the key itself, not the form-encoded spelling it arrived in.
    expect(decodeJwt(token.access_token).client_id).toBe(p.consumerKey);
    await expectPartner(token.access_token, p);
  });

  it("a wrong secret is invalid_client: 401 with the Basic challenge the library reports", async () => {
    const as = await discover();
    const p = await provisionPartner();
    const err = await grant(as, p.consumerKey, "cs_test_wrong").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    if (!(err instanceof oauth.WWWAuthenticateChallengeError)) return;
    expect(err.status).toBe(401);
    expect(err.cause).toEqual([{ scheme: "basic", parameters: { realm: "portico" } }]);
    expect(await err.response.json()).toEqual({
      error: "invalid_client",
      error_description: "Client authentication failed",
    });
  });

  // Fixed secrets are provisioned as given (the demo partner's comes from .dev.vars), so they can
  // hold any character; each one here changes under form-encoding.
  it.each([
    ["space, plus, colon and a valid escape", "cs_test_a b+c%41:d"],
    ["a malformed escape", "cs_test_100%_sure+"],
  ])("a secret with %s works form-encoded and raw", async (_, secret) => {
    const p = await provisionPartner({ consumerSecret: secret });
    const token = await grant(await discover(), p.consumerKey, secret);
    await expectPartner(token.access_token, p);

    const raw = await tokenWith(basic(p.consumerKey, secret));
    expect(raw.res.status).toBe(200);
    await expectPartner(raw.body.access_token, p);
  });
});

describe("Basic credentials decoding (RFC 6749 §2.3.1)", () => {
  const encoded = (s: string) =>
    encodeURIComponent(s).replace(/[_.!~*'()-]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

  it("a percent-escaped key and secret (ck%5Ftest%5F…) authenticate as the key itself", async () => {
    const p = await provisionPartner();
    const r = await tokenWith(`Basic ${btoa(`${encoded(p.consumerKey)}:${encoded(p.consumerSecret)}`)}`);
    expect(encoded(p.consumerKey)).toMatch(/^ck%5Ftest%5F/);
    expect(r.res.status).toBe(200);
    expect(decodeJwt(r.body.access_token).client_id).toBe(p.consumerKey);
  });

  it("raw credentials still authenticate", async () => {
    const p = await provisionPartner();
    const r = await tokenWith(basic(p.consumerKey, p.consumerSecret));
    expect(r.res.status).toBe(200);
    expect(decodeJwt(r.body.access_token).client_id).toBe(p.consumerKey);
  });

  it("invalid_client, never a 500, for malformed escapes or an encoded wrong secret", async () => {
    const p = await provisionPartner();
    for (const [key, secret] of [
      [`${p.consumerKey}%zz`, p.consumerSecret],
      [p.consumerKey, `${p.consumerSecret}%`],
      [encoded(p.consumerKey), encoded("cs_test_wrong")],
      ["%E0%A4%A", p.consumerSecret],
    ]) {
      const r = await tokenWith(`Basic ${btoa(`${key}:${secret}`)}`);
      expect(r.res.status, key).toBe(401);
      expect(r.body).toEqual({ error: "invalid_client", error_description: "Client authentication failed" });
    }
  });

  it("an encoded production key is still refused as a production credential", async () => {
    const r = await tokenWith(`Basic ${btoa("ck%5Flive%5Fabc:cs%5Flive%5Fx")}`);
    expect(r.res.status).toBe(401);
    expect(r.body.error_description).toBe(
      "This is a production credential; the sandbox environment does not accept it",
    );
  });
});
