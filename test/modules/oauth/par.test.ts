import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../../src/platform/lib/ids";
import {
  newConsent,
  parParams,
  pkce,
  pushRequest,
  REDIRECT_URI,
  registerRedirects,
} from "../../support/consent-flow";
import { basic, call, tokenFor } from "../../support/http";
import { provisionPartner, suspendPartner } from "../../support/partners";

const PREFIX = "urn:ietf:params:oauth:request_uri:";

async function setup() {
  const p = await provisionPartner();
  const token = await tokenFor(p);
  await registerRedirects(p.id, [REDIRECT_URI, "https://partner.example/other"]);
  const consentId = await newConsent(token, ["accounts", "balances"]);
  const { challenge } = await pkce();
  return { p, token, consentId, challenge, params: (o = {}) => parParams(p, consentId, challenge, o) };
}

const storedRequest = (uri: string) =>
  sha256Hex(uri.slice(PREFIX.length)).then((hash) =>
    env.DB.prepare("SELECT * FROM oauth_par_requests WHERE request_hash = ?").bind(hash).first(),
  );

const parCount = async (partnerId: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM oauth_par_requests WHERE partner_id = ?")
      .bind(partnerId)
      .first()
  )?.n;

describe("POST /oauth2/par", () => {
  it("answers 201 with a one-time request_uri and stores the pushed request by its hash", async () => {
    const s = await setup();
    const params = s.params({ dpop_jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" });
    const { res, body } = await pushRequest(s.p, params);
    expect(res.status).toBe(201);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(body.expires_in).toBe(60);
    expect(body.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/);
    const row = await storedRequest(body.request_uri);
    expect(row).toMatchObject({
      partner_id: s.p.id,
      client_id: s.p.consumerKey,
      consent_id: s.consentId,
      redirect_uri: REDIRECT_URI,
      scope: "accounts balances",
      state: params.state,
      nonce: params.nonce,
      code_challenge: s.challenge,
      dpop_jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
      used_at: null,
    });
    expect(Date.parse(String(row?.expires_at)) - Date.parse(String(row?.created_at))).toBe(60_000);
    // Only the hash is stored: the URI's random part appears nowhere.
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(body.request_uri.slice(PREFIX.length));
  });

  it("accepts JSON, a narrower scope, and no state or nonce", async () => {
    const s = await setup();
    const { res, body } = await call("POST", "/oauth2/par", {
      headers: { Authorization: basic(s.p.consumerKey, s.p.consumerSecret) },
      json: s.params({ scope: "balances", state: undefined, nonce: undefined }),
    });
    expect(res.status).toBe(201);
    expect(await storedRequest(body.request_uri)).toMatchObject({
      scope: "balances",
      state: null,
      nonce: null,
    });
  });

  const refusals: [string, Record<string, string | undefined>, string, string][] = [
    ["no response_type", { response_type: undefined }, "invalid_request", "response_type is required"],
    ["response_type token", { response_type: "token" }, "invalid_request", "response_type must be code"],
    ["no client_id", { client_id: undefined }, "invalid_request", "client_id is required"],
    [
      "another client_id",
      { client_id: "ck_test_someone_else" },
      "invalid_request",
      "client_id is not the authenticated client",
    ],
    ["no redirect_uri", { redirect_uri: undefined }, "invalid_request", "redirect_uri is required"],
    [
      "an unregistered redirect_uri (the swap, at PAR)",
      { redirect_uri: "https://attacker.example/callback" },
      "invalid_request",
      "redirect_uri is not one of the client's registered redirect URIs",
    ],
    [
      "a registered URI with a different path",
      { redirect_uri: `${REDIRECT_URI}/x` },
      "invalid_request",
      "redirect_uri is not one of the client's registered redirect URIs",
    ],
    [
      "a registered URI with an added query",
      { redirect_uri: `${REDIRECT_URI}?a=1` },
      "invalid_request",
      "redirect_uri is not one of the client's registered redirect URIs",
    ],
    ["no code_challenge", { code_challenge: undefined }, "invalid_request", "code_challenge is required"],
    [
      "no code_challenge_method",
      { code_challenge_method: undefined },
      "invalid_request",
      "code_challenge_method is required",
    ],
    [
      "plain PKCE",
      { code_challenge_method: "plain" },
      "invalid_request",
      "code_challenge_method must be S256",
    ],
    [
      "a challenge that is no S256 digest",
      { code_challenge: "short" },
      "invalid_request",
      "code_challenge must be the base64url SHA-256 of the verifier",
    ],
    ["no consent_id", { consent_id: undefined }, "invalid_request", "consent_id is required"],
    [
      "an unknown consent",
      { consent_id: crypto.randomUUID() },
      "invalid_request",
      "consent_id does not name a consent awaiting authorisation",
    ],
    [
      "a malformed consent id",
      { consent_id: "not-a-uuid" },
      "invalid_request",
      "consent_id does not name a consent awaiting authorisation",
    ],
    [
      "a request object",
      { request: "eyJhbGciOiJub25lIn0.e30." },
      "invalid_request",
      "request and request_uri are not accepted at the PAR endpoint",
    ],
    [
      "a request_uri",
      { request_uri: `${PREFIX}abc` },
      "invalid_request",
      "request and request_uri are not accepted at the PAR endpoint",
    ],
    [
      "a scope the consent does not cover",
      { scope: "accounts transactions" },
      "invalid_scope",
      "The consent does not cover: transactions",
    ],
    ["an unknown scope", { scope: "payments:write" }, "invalid_scope", "Unknown scope: payments:write"],
    [
      "a state too long",
      { state: "s".repeat(513) },
      "invalid_request",
      "state is longer than 512 characters",
    ],
    [
      "a malformed dpop_jkt",
      { dpop_jkt: "x" },
      "invalid_request",
      "dpop_jkt must be a JWK SHA-256 thumbprint",
    ],
  ];
  for (const [what, overrides, error, description] of refusals) {
    it(`refuses ${what}: 400 ${error}, nothing stored`, async () => {
      const s = await setup();
      const { res, body } = await pushRequest(s.p, s.params(overrides));
      expect(res.status).toBe(400);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(body).toEqual({ error, error_description: description });
      expect(await parCount(s.p.id)).toBe(0);
    });
  }

  it("another partner's consent is refused exactly as an unknown one", async () => {
    const a = await setup();
    const b = await setup();
    const { res, body } = await pushRequest(b.p, b.params({ consent_id: a.consentId }));
    expect(res.status).toBe(400);
    expect(body).toEqual({
      error: "invalid_request",
      error_description: "consent_id does not name a consent awaiting authorisation",
    });
    expect(await parCount(b.p.id)).toBe(0);
  });

  it("a consent no longer awaiting authorisation is refused with its status", async () => {
    const s = await setup();
    await call("POST", `/v1/consents/${s.consentId}/revoke`, { token: s.token });
    const { res, body } = await pushRequest(s.p, s.params());
    expect(res.status).toBe(400);
    expect(body.error_description).toBe("The consent is Revoked, not AwaitingAuthorisation");
  });

  it("a client without a registration has no redirect URI", async () => {
    const p = await provisionPartner();
    const consentId = await newConsent(await tokenFor(p));
    const { challenge } = await pkce();
    const { res, body } = await pushRequest(p, parParams(p, consentId, challenge));
    expect(res.status).toBe(400);
    expect(body.error_description).toBe("redirect_uri is not one of the client's registered redirect URIs");
  });

  it("client authentication: none, a wrong secret and a suspended partner are refused", async () => {
    const s = await setup();
    const none = await call("POST", "/oauth2/par", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(s.params()).toString(),
    });
    expect(none.res.status).toBe(401);
    expect(none.res.headers.get("WWW-Authenticate")).toBe('Basic realm="portico"');
    expect(none.body.error).toBe("invalid_client");
    const wrong = await pushRequest({ ...s.p, consumerSecret: "cs_test_wrong" }, s.params());
    expect(wrong.res.status).toBe(401);
    expect(wrong.body).toEqual({
      error: "invalid_client",
      error_description: "Client authentication failed",
    });
    expect(await parCount(s.p.id)).toBe(0);
    const q = await provisionPartner();
    await registerRedirects(q.id);
    await suspendPartner(q.id);
    const suspended = await pushRequest(q, parParams(q, crypto.randomUUID(), s.challenge));
    expect(suspended.res.status).toBe(400);
    expect(suspended.body).toEqual({
      error: "unauthorized_client",
      error_description: "The partner account is suspended",
    });
    expect(await parCount(q.id)).toBe(0);
  });

  it("a body that is neither form nor JSON is 415; a malformed JSON body 400", async () => {
    const s = await setup();
    const auth = { Authorization: basic(s.p.consumerKey, s.p.consumerSecret) };
    const text = await call("POST", "/oauth2/par", {
      headers: { ...auth, "Content-Type": "text/plain" },
      body: "x",
    });
    expect(text.res.status).toBe(415);
    expect(text.body.error).toBe("invalid_request");
    const broken = await call("POST", "/oauth2/par", {
      headers: { ...auth, "Content-Type": "application/json" },
      body: "{",
    });
    expect(broken.res.status).toBe(400);
    expect(broken.body).toEqual({
      error: "invalid_request",
      error_description: "Request contains invalid JSON format",
    });
  });

  it("only POST: other methods are 405 with Allow", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const { res, body } = await call(method, "/oauth2/par");
      expect(res.status).toBe(405);
      expect(res.headers.get("Allow")).toBe("POST");
      expect(body.error.code).toBe(5);
    }
  });

  it("is in the OpenAPI document with every status it answers", async () => {
    const { body } = await call("GET", "/openapi.json");
    const op = body.paths["/oauth2/par"].post;
    expect(Object.keys(op.responses).sort()).toEqual(["201", "400", "401", "403", "413", "415"]);
    expect(op.security).toEqual([{ basic: [] }]);
  });
});
