import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parseCorsOrigins } from "../../src/modules/partners/cors-origins";
import { forgetListedOrigins } from "../../src/modules/partners/listed-origins";
import { buildPartner, type NewPartner } from "../../src/modules/partners/provisioning";
import { PRODUCTS } from "../../src/platform/catalog";
import { BASE, basic, call, requestToken, tokenFor } from "../support/http";
import { provisionPartner, suspendPartner } from "../support/partners";
import { expectSafeHeaders } from "../support/safe-headers";

const ID = "00000000-0000-7000-8000-000000000000";
const unique = () => `https://app-${crypto.randomUUID().slice(0, 8)}.example`;

/** A partner whose contract lists one fresh origin; the isolate's list of listed origins reloaded. */
async function partnerWithOrigin() {
  const origin = unique();
  const p = await provisionPartner({ corsOrigins: [origin] });
  forgetListedOrigins();
  return { p, origin, token: await tokenFor(p) };
}

const corsHeaders = (res: Response) =>
  [...res.headers.keys()].filter((name) => name.toLowerCase().startsWith("access-control-"));

function expectAllowed(res: Response, origin: string) {
  expect(res.headers.get("Access-Control-Allow-Origin")).toBe(origin);
  expect(res.headers.get("Vary")).toContain("Origin");
  expect(res.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  const exposed = (res.headers.get("Access-Control-Expose-Headers") ?? "").split(/,\s*/);
  for (const name of [
    "X-Request-Id",
    "Idempotent-Replayed",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Retry-After",
    "WWW-Authenticate",
  ])
    expect(exposed).toContain(name);
}

const preflight = (path: string, origin: string, method = "POST") =>
  SELF.fetch(`${BASE}${path}`, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": method,
      "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
    },
  });

describe("CORS only where a partner's contract lists the origin", () => {
  it("a listed origin is allowed on the partner's successful answers", async () => {
    const { origin, token } = await partnerWithOrigin();
    const r = await call("GET", "/v1/partner", { token, headers: { Origin: origin } });
    expect(r.res.status).toBe(200);
    expect(r.body.result.cors_origins).toEqual([origin]);
    expectAllowed(r.res, origin);
    expect(r.res.headers.get("RateLimit-Limit")).not.toBeNull();
    expect(r.res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("and on its error answers: not found, a validation error, a missing or bad token", async () => {
    const { origin, token } = await partnerWithOrigin();
    const headers = { Origin: origin };
    const missing = await call("GET", `/v1/payments/${ID}`, { token, headers });
    expect(missing.res.status).toBe(404);
    expectAllowed(missing.res, origin);
    const invalid = await call("POST", "/v1/payments", { token, headers, json: { params: {} } });
    expect(invalid.res.status).toBe(400);
    expectAllowed(invalid.res, origin);
    // Refused before any partner is known: allowed because some contract lists the origin.
    const noToken = await call("GET", "/v1/partner", { headers });
    expect(noToken.res.status).toBe(401);
    expectAllowed(noToken.res, origin);
    const badToken = await call("GET", "/v1/partner", { token: "nonsense", headers });
    expect(badToken.res.status).toBe(401);
    expectAllowed(badToken.res, origin);
  });

  it("an unlisted origin gets the normal answer and no CORS header at all", async () => {
    const { token } = await partnerWithOrigin();
    const headers = { Origin: unique() };
    const ok = await call("GET", "/v1/partner", { token, headers });
    expect(ok.res.status).toBe(200);
    const missing = await call("GET", `/v1/payments/${ID}`, { token, headers });
    expect(missing.res.status).toBe(404);
    const noToken = await call("GET", "/v1/partner", { headers });
    expect(noToken.res.status).toBe(401);
    for (const r of [ok, missing, noToken]) {
      expect(corsHeaders(r.res)).toEqual([]);
      expectSafeHeaders(r.res, "/v1/partner");
    }
  });

  it("a preflight from a listed origin is answered 204 with the methods, headers and max-age, no token needed", async () => {
    const { origin } = await partnerWithOrigin();
    for (const path of ["/v1/payments", `/v1/payments/${ID}/capture`, "/oauth2/token"]) {
      const res = await preflight(path, origin);
      await res.arrayBuffer();
      expect(res.status, path).toBe(204);
      expect(res.headers.get("Access-Control-Allow-Origin"), path).toBe(origin);
      expect(res.headers.get("Vary"), path).toContain("Origin");
      expect(res.headers.get("Access-Control-Allow-Methods"), path).toContain("POST");
      const allowed = (res.headers.get("Access-Control-Allow-Headers") ?? "").toLowerCase().split(/,\s*/);
      for (const h of ["authorization", "content-type", "idempotency-key", "x-request-id", "consent-id"])
        expect(allowed, path).toContain(h);
      expect(res.headers.get("Access-Control-Max-Age"), path).toBe("600");
      expect(res.headers.get("Access-Control-Allow-Credentials"), path).toBeNull();
      expect(res.headers.get("Access-Control-Allow-Origin"), path).not.toBe("*");
      expectSafeHeaders(res, path);
    }
  });

  it("a preflight from an unlisted origin gets the normal answer, no CORS header", async () => {
    await partnerWithOrigin();
    const origin = unique();
    const api = await preflight("/v1/payments", origin);
    const body = await api.json<{ error: { code: number } }>();
    expect(api.status).toBe(401);
    expect(body.error.code).toBe(10);
    const token = await preflight("/oauth2/token", origin);
    await token.arrayBuffer();
    expect(token.status).toBe(405);
    for (const res of [api, token]) expect(corsHeaders(res)).toEqual([]);
  });

  it("a suspended partner's origins no longer pass a preflight", async () => {
    const origin = unique();
    const p = await provisionPartner({ corsOrigins: [origin] });
    await suspendPartner(p.id);
    forgetListedOrigins();
    const res = await preflight("/v1/payments", origin);
    await res.arrayBuffer();
    expect(res.status).toBe(401);
    expect(corsHeaders(res)).toEqual([]);
  });

  it("one partner's origin does not allow another partner's answers", async () => {
    const a = await partnerWithOrigin();
    const b = await partnerWithOrigin();
    // The preflight passes (a lists the origin); b's answer, read from a's origin, is not allowed.
    const r = await call("GET", "/v1/partner", { token: b.token, headers: { Origin: a.origin } });
    expect(r.res.status).toBe(200);
    expect(corsHeaders(r.res)).toEqual([]);
    const missing = await call("GET", `/v1/payments/${ID}`, {
      token: b.token,
      headers: { Origin: a.origin },
    });
    expect(missing.res.status).toBe(404);
    expect(corsHeaders(missing.res)).toEqual([]);
    // Its own origin is.
    expectAllowed(
      (await call("GET", "/v1/partner", { token: b.token, headers: { Origin: b.origin } })).res,
      b.origin,
    );
  });

  it("the token endpoint allows the authenticated client's own origins only", async () => {
    const a = await partnerWithOrigin();
    const b = await partnerWithOrigin();
    const tokenAt = (p: typeof a.p, origin: string, secret = p.consumerSecret) =>
      call("POST", "/oauth2/token", {
        headers: {
          Origin: origin,
          Authorization: basic(p.consumerKey, secret),
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      });
    const own = await tokenAt(a.p, a.origin);
    expect(own.res.status).toBe(200);
    expectAllowed(own.res, a.origin);
    const other = await tokenAt(b.p, a.origin);
    expect(other.res.status).toBe(200);
    expect(corsHeaders(other.res)).toEqual([]);
    // A refused client is no partner: the listed-anywhere rule, as for a preflight.
    const refused = await tokenAt(a.p, a.origin, "cs_test_wrong");
    expect(refused.res.status).toBe(401);
    expectAllowed(refused.res, a.origin);
    const unlisted = await tokenAt(a.p, unique());
    expect(unlisted.res.status).toBe(200);
    expect(corsHeaders(unlisted.res)).toEqual([]);
  });

  it("no CORS on the pages, the OpenAPI document or discovery, even for a listed origin", async () => {
    const { origin } = await partnerWithOrigin();
    for (const path of [
      "/docs",
      "/status",
      "/openapi.json",
      "/.well-known/jwks.json",
      "/.well-known/oauth-authorization-server",
      `/sandbox/3ds/${ID}`,
    ]) {
      const res = await SELF.fetch(`${BASE}${path}`, { headers: { Origin: origin } });
      await res.arrayBuffer();
      expect(corsHeaders(res), path).toEqual([]);
      const pre = await preflight(path, origin, "GET");
      await pre.arrayBuffer();
      expect(pre.status, path).not.toBe(204);
      expect(corsHeaders(pre), path).toEqual([]);
    }
  });

  it("a request without Origin is untouched", async () => {
    const { token } = await partnerWithOrigin();
    const r = await call("GET", "/v1/partner", { token });
    expect(r.res.status).toBe(200);
    expect(corsHeaders(r.res)).toEqual([]);
    expect(r.res.headers.get("Vary")).toBeNull();
    const t = await requestToken((await partnerWithOrigin()).p);
    expect(corsHeaders(t.res)).toEqual([]);
  });
});

describe("a contract's CORS origins", () => {
  it("are exact https origins, as a browser sends them", () => {
    expect(parseCorsOrigins(["https://app.example.com", "https://ops.example.com:8443"])).toEqual([
      "https://app.example.com",
      "https://ops.example.com:8443",
    ]);
    expect(parseCorsOrigins(["https://[2001:db8::1]", "https://xn--bcher-kva.example"])).toHaveLength(2);
    for (const bad of [
      "*",
      "null",
      "http://app.example.com",
      "https://app.example.com/",
      "https://app.example.com/path",
      "https://App.example.com",
      "https://app.example.com:443",
      "https://*.example.com",
      "https://user@app.example.com",
      "https://bücher.example",
      "app.example.com",
      "",
    ])
      expect(() => parseCorsOrigins([bad]), bad).toThrow();
    expect(() => parseCorsOrigins(["https://a.example", "https://a.example"])).toThrow(/twice/);
    expect(() => parseCorsOrigins(Array.from({ length: 21 }, (_, i) => `https://a${i}.example`))).toThrow(
      /at most 20/,
    );
  });

  it("are checked when a partner is provisioned, and default to none", async () => {
    const base: NewPartner = { name: "x", environment: "sandbox", tier: "standard", products: [...PRODUCTS] };
    await expect(buildPartner({ ...base, corsOrigins: ["https://*.example.com"] })).rejects.toThrow();
    expect((await buildPartner(base)).rows.contract.corsOrigins).toEqual([]);
    const p = await provisionPartner();
    const r = await call("GET", "/v1/partner", { token: await tokenFor(p) });
    expect(r.body.result.cors_origins).toEqual([]);
  });
});
