import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { ERRORS } from "../../src/platform/errors";
import { BASE, call, tokenFor } from "../support/http";
import { provisionPartner } from "../support/partners";

const authed = async () => tokenFor(await provisionPartner());
const create = (token: string, json: unknown, headers: Record<string, string> = {}) =>
  call("POST", "/v1/partner/credentials", { token, json, headers });

describe("the envelope", () => {
  it("echoes the request's id on success and on error", async () => {
    const token = await authed();
    const id = crypto.randomUUID();
    const ok = await create(token, { id, params: { description: "ci" } });
    expect(ok.res.status).toBe(201);
    expect(ok.body).toMatchObject({ id, error: null });
    const bad = await create(token, { id, params: { description: "" } });
    expect(bad.body).toMatchObject({ id, result: null });
    expect(bad.body.error.code).toBe(4);
  });

  it("gives a fresh UUID v7 where the request had no id", async () => {
    const { body } = await call("GET", "/v1/partner", { token: await authed() });
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("accepts a well-formed X-Request-Id and replaces a malformed one", async () => {
    const token = await authed();
    const mine = await call("GET", "/v1/partner", {
      token,
      headers: { "X-Request-Id": "partner-req-000123" },
    });
    expect(mine.res.headers.get("X-Request-Id")).toBe("partner-req-000123");
    const evil = await call("GET", "/v1/partner", {
      token,
      headers: { "X-Request-Id": "<script>alert(1)</script> or a very long id" },
    });
    expect(evil.res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    const none = await call("GET", "/status");
    expect(none.res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("request errors", () => {
  it("2: invalid JSON", async () => {
    const r = await call("POST", "/v1/partner/credentials", {
      token: await authed(),
      body: '{"params": {',
      headers: { "Content-Type": "application/json" },
    });
    expect(r.res.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 2, message: "Request contains invalid JSON format" });
  });

  it("3: a field of the wrong type names the field", async () => {
    const r = await create(await authed(), { params: { description: 12345 } });
    expect(r.res.status).toBe(400);
    expect(r.body.error.code).toBe(3);
    expect(r.body.error.field).toBe("params.description");
    expect(r.body.error.message).toMatch(
      /^Field: params\.description, value is invalid and can't be parsed\. Message: /,
    );
  });

  it("4: validation names the field path", async () => {
    const token = await authed();
    const missing = await create(token, { id: crypto.randomUUID() });
    expect(missing.res.status).toBe(400);
    expect(missing.body.error).toMatchObject({
      code: 4,
      field: "params",
      message: "Validation Error. Field: params, message: Field must be not null",
    });
    const tooLong = await create(token, { params: { description: "x".repeat(201) } });
    expect(tooLong.body.error).toMatchObject({ code: 4, field: "params.description" });
    const badId = await create(token, { id: "not-a-uuid", params: {} });
    expect(badId.body.error).toMatchObject({ code: 4, field: "id" });
    const badParam = await call("DELETE", "/v1/partner/credentials/not-a-uuid", { token });
    expect(badParam.body.error).toMatchObject({ code: 4, field: "id" });
  });

  it("5: a wrong method is 405 listing the supported methods", async () => {
    const r = await call("PUT", "/v1/partner", { token: await authed(), json: { params: {} } });
    expect(r.res.status).toBe(405);
    expect(r.res.headers.get("Allow")).toBe("GET, HEAD");
    expect(r.body.error).toMatchObject({
      code: 5,
      message: "The API doesn't support HTTP method: PUT. Supported HTTP methods: GET, HEAD",
    });
    const token = await call("GET", "/oauth2/token");
    expect(token.res.status).toBe(405);
    expect(token.body.error.code).toBe(5);
  });

  it("404 for an unknown path, with and without /v1", async () => {
    const r = await call("GET", "/v1/nothing-here", { token: await authed() });
    expect(r.res.status).toBe(404);
    expect(r.body.error.code).toBe(31);
    const outside = await call("GET", "/nothing");
    expect(outside.res.status).toBe(404);
    expect(outside.body.error.code).toBe(31);
  });

  it("404 code 31 in the envelope for a known path with a trailing slash or dot segments", async () => {
    const token = await authed();
    for (const [method, path] of [
      ["GET", "/v1/partner/"],
      ["POST", "/v1/payments/"],
      ["GET", `/v1/payments/${crypto.randomUUID()}/`],
      ["GET", "/v1/cards/applications/.."],
      ["POST", "/oauth2/token/"],
      ["GET", "/status/"],
    ] as const) {
      const r = await call(method, path, { token });
      expect(r.res.status, `${method} ${path}`).toBe(404);
      expect(r.res.headers.get("Content-Type")).toMatch(/^application\/json/);
      expect(r.body.error).toMatchObject({ code: 31, reason: "route_not_found" });
    }
  });

  it("413 for a body over 1 MiB, declared or streamed", async () => {
    const token = await authed();
    const big = JSON.stringify({ params: { description: "x".repeat(1024 * 1024) } });
    const declared = await call("POST", "/v1/partner/credentials", {
      token,
      body: big,
      headers: { "Content-Type": "application/json" },
    });
    expect(declared.res.status).toBe(413);
    expect(declared.body.error.code).toBe(32);
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 65536) controller.enqueue(bytes.slice(i, i + 65536));
        controller.close();
      },
    });
    const streamed = await call("POST", "/v1/partner/credentials", {
      token,
      body: stream,
      headers: { "Content-Type": "application/json" },
    });
    expect(streamed.res.status).toBe(413);
    expect(streamed.body.error.code).toBe(32);
    const list = await call("GET", "/v1/partner/credentials", { token });
    expect(list.body.result.data).toHaveLength(1); // nothing was created
  });

  it("415 for a body that is not JSON", async () => {
    const token = await authed();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      const r = await call("POST", "/v1/partner/credentials", {
        token,
        body: "description=x",
        headers: { "Content-Type": type },
      });
      expect(r.res.status).toBe(415);
      expect(r.body.error.code).toBe(33);
    }
    const none = await call("POST", "/v1/partner/credentials", { token, body: "{}" });
    expect(none.res.status).toBe(415);
  });

  it("accepts JSON with a charset and structured-suffix types", async () => {
    const token = await authed();
    const r = await create(token, { params: {} }, { "Content-Type": "application/json; charset=utf-8" });
    expect(r.res.status).toBe(201);
  });
});

describe("failures never leak internals", () => {
  it("answers code 1 with the generic message for an unexpected error", async () => {
    const app = createApp();
    app.get("/boom", () => {
      throw new Error("db password is hunter2 at 10.0.0.7");
    });
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${BASE}/boom`), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    const body = await res.json<{ error: { code: number; message: string } }>();
    expect(body.error).toMatchObject({ code: 1, message: ERRORS.unknown.message });
    expect(JSON.stringify(body)).not.toContain("hunter2");
    expect(spy).toHaveBeenCalled(); // logged with the request id for the platform team
    expect(String(spy.mock.calls[0]?.[0])).toContain(res.headers.get("X-Request-Id") ?? "missing");
    spy.mockRestore();
  });

  it("fails closed on invalid configuration, naming no secret", async () => {
    const app = createApp();
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    for (const broken of [
      { ...env, JWT_SIGNING_KEYS: undefined },
      { ...env, JWT_SIGNING_KEYS: '[{"kty":"EC","crv":"P-256","x":"a","y":"b","kid":"k"}]' }, // public key only
      { ...env, ENVIRONMENT: "staging" },
      { ...env, PROFILE_CACHE_TTL_SECONDS: "600" }, // staleness over 60 s
      { ...env, RATE_LIMIT_TIMEOUT_MS: "500" }, // deadline over 50 ms
      { ...env, UPSTASH_REDIS_REST_URL: "https://redis.example", UPSTASH_REDIS_REST_TOKEN: undefined },
      { ...env, ENVIRONMENT: "production", ISSUER: "http://insecure.example" },
    ]) {
      for (const path of ["/status", "/v1/partner", "/.well-known/jwks.json"]) {
        const res = await app.fetch(new Request(`${BASE}${path}`), broken, createExecutionContext());
        expect(res.status).toBe(503);
        const body = await res.json<{ error: { code: number } }>();
        expect(body.error.code).toBe(90);
      }
    }
    const logged = spy.mock.calls.map((c) => String(c[0])).join("\n");
    expect(logged).toContain("configuration invalid");
    expect(logged).not.toContain('"d":');
    spy.mockRestore();
  });
});
