// The SDK's token, retry and idempotency rules against a real HTTP server that answers a script
// (support/scripted-server.ts): what each attempt carried is read from what the server received.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ConflictError,
  IdempotencyError,
  NetworkError,
  NotFoundError,
  PermissionError,
  Portico,
  PorticoError,
  RateLimitError,
  type RetryInfo,
  type RetryOptions,
  ServerError,
  ValidationError,
} from "../../sdk/typescript/src/index";
import { CONSUMER, error, type Scripted, startScriptedServer } from "./support/scripted-server";

let server: Awaited<ReturnType<typeof startScriptedServer>>;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server?.close());
beforeEach(() => {
  server.seen.length = 0;
  server.token.issued = 0;
  server.token.expiresIn = 3600;
  server.token.delayMs = 0;
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PAYMENT = {
  params: { amount: 150_000, currency: "UZS" as const, payment_method_token: "pm_card_visa" },
};

/** A client of the scripted server whose waits are short and recorded. */
function client(retry: RetryOptions = {}, extra: { timeoutMs?: number; consumerSecret?: string } = {}) {
  const retries: RetryInfo[] = [];
  const portico = new Portico({
    baseUrl: server.url,
    ...CONSUMER,
    ...extra,
    retry: { initialDelayMs: 20, maxDelayMs: 200, ...retry, onRetry: (info) => retries.push(info) },
  });
  return { portico, retries };
}

/** What the scripted server put in a default success: the token and key it saw, and the body. */
type Echo = { token: string; key: string | null; body: unknown };
const echo = (result: unknown) => result as Echo;

async function rejection(promise: Promise<unknown>): Promise<PorticoError> {
  try {
    await promise;
  } catch (e) {
    return e as PorticoError;
  }
  throw new Error("the call succeeded");
}

describe("the token", () => {
  it("is fetched once with HTTP Basic (form-encoded key and secret), then reused", async () => {
    const { portico } = client();
    const first = echo(await portico.request("GET", "/v1/balance"));
    const second = echo(await portico.request("GET", "/v1/balance"));
    expect(first.token).toBe("Bearer tok_1");
    expect(second.token).toBe("Bearer tok_1");
    const [token] = server.requests("POST /oauth2/token");
    expect(server.requests("POST /oauth2/token")).toHaveLength(1);
    expect(JSON.parse(token?.body ?? "")).toEqual({ grant_type: "client_credentials" });
    const pair = Buffer.from(
      (token?.headers.authorization ?? "").replace(/^Basic /, ""),
      "base64",
    ).toString();
    expect(pair).toBe("ck_test_scripted:cs_test_scripted+secret");
  });

  it("is one request however many calls race for it", async () => {
    server.token.delayMs = 200;
    const { portico } = client();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => portico.request("GET", "/v1/balance").then(echo)),
    );
    expect(results.map((r) => r.token)).toEqual(Array(8).fill("Bearer tok_1"));
    expect(server.token.issued).toBe(1);
    expect(server.requests("GET /v1/balance")).toHaveLength(8);
  });

  it("is fetched again shortly before it expires (expires_in)", async () => {
    server.token.expiresIn = 1;
    const { portico } = client();
    expect(echo(await portico.request("GET", "/v1/balance")).token).toBe("Bearer tok_1");
    // A 1-second token is refreshed a tenth of its life early: after 0.9 s it is not used again.
    await new Promise((r) => setTimeout(r, 950));
    expect(echo(await portico.request("GET", "/v1/balance")).token).toBe("Bearer tok_2");
    expect(server.token.issued).toBe(2);
  });

  it("on a 401 token_expired: one new token and the call again, once", async () => {
    const { portico, retries } = client();
    server.script("GET /v1/balance", [{ status: 401, body: error(12, "token_expired") }]);
    expect(echo(await portico.request("GET", "/v1/balance")).token).toBe("Bearer tok_2");
    expect(server.requests("GET /v1/balance").map((r) => r.headers.authorization)).toEqual([
      "Bearer tok_1",
      "Bearer tok_2",
    ]);
    expect(retries).toEqual([]);

    // Expired again at once: thrown, not a loop.
    const expired: Scripted = { status: 401, body: error(12, "token_expired") };
    server.script("GET /v1/balance", [expired, expired, expired]);
    const e = await rejection(portico.request("GET", "/v1/balance"));
    expect(e).toBeInstanceOf(AuthenticationError);
    expect(e).toMatchObject({ kind: "authentication", status: 401, code: 12, reason: "token_expired" });
    expect(server.token.issued).toBe(3);
    expect(server.requests("GET /v1/balance")).toHaveLength(4);
  });

  it("an invalid token (401, code 11) is thrown without a new token", async () => {
    const { portico } = client();
    server.script("GET /v1/balance", [{ status: 401, body: error(11, "invalid_token") }]);
    const e = await rejection(portico.request("GET", "/v1/balance"));
    expect(e).toMatchObject({ kind: "authentication", code: 11, requestId: "req_2" });
    expect(server.token.issued).toBe(1);
  });

  it("a wrong secret is the token endpoint's invalid_client, thrown at once as AuthenticationError", async () => {
    const { portico, retries } = client({}, { consumerSecret: "cs_wrong" });
    const e = await rejection(portico.request("GET", "/v1/balance"));
    expect(e).toBeInstanceOf(AuthenticationError);
    expect(e).toMatchObject({ status: 401, code: 0, reason: "invalid_client" });
    expect(e.message).toBe("Client authentication failed.");
    expect(e.message).not.toContain("cs_wrong");
    expect(retries).toEqual([]);
    expect(server.requests("POST /oauth2/token")).toHaveLength(1);
    expect(server.requests("GET /v1/balance")).toHaveLength(0);
  });

  it("a token endpoint that fails (503) is retried as an attempt of the call", async () => {
    const { portico, retries } = client();
    server.script("POST /oauth2/token", [{ status: 503, body: error(42, "limiter_unavailable") }]);
    expect(echo(await portico.request("GET", "/v1/balance")).token).toBe("Bearer tok_1");
    expect(retries.map((r) => r.error.code)).toEqual([42]);
    expect(server.requests("POST /oauth2/token")).toHaveLength(2);
  });
});

describe("the Idempotency-Key", () => {
  it("is made by the SDK for a POST and sent again on each retry of that call", async () => {
    const { portico, retries } = client();
    server.script("POST /v1/payments", [
      { status: 503, body: error(91, "upstream_unavailable") },
      { status: 502 },
      { status: 500, body: error(1, "unknown") },
    ]);
    const result = echo(await portico.request("POST", "/v1/payments", { body: PAYMENT }));
    const keys = server.requests("POST /v1/payments").map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(4);
    expect(keys[0]).toMatch(UUID);
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
    expect(result.key).toBe(keys[0]);
    // The identical request each time: the same body too.
    expect(new Set(server.requests("POST /v1/payments").map((r) => r.body)).size).toBe(1);
    expect(retries.map((r) => [r.attempt, r.error.status])).toEqual([
      [1, 503],
      [2, 502],
      [3, 500],
    ]);
  });

  it("is the caller's when given, and a new one for each new call", async () => {
    const { portico } = client();
    server.script("POST /v1/payments", [{ status: 500, body: error(1, "unknown") }]);
    const answer = await portico.send("POST", "/v1/payments", { body: PAYMENT, idempotencyKey: "order-42" });
    expect(answer.idempotencyKey).toBe("order-42");
    expect(server.requests("POST /v1/payments").map((r) => r.headers["idempotency-key"])).toEqual([
      "order-42",
      "order-42",
    ]);
    const a = await portico.send("POST", "/v1/payments", { body: PAYMENT });
    const b = await portico.send("POST", "/v1/payments", { body: PAYMENT });
    expect(a.idempotencyKey).toMatch(UUID);
    expect(b.idempotencyKey).toMatch(UUID);
    expect(a.idempotencyKey).not.toBe(b.idempotencyKey);
  });

  it("is not sent on GET, PATCH or DELETE", async () => {
    const { portico } = client();
    await portico.request("GET", "/v1/payments/{id}", {
      params: { path: { id: "0192f4c1-7a3e-7b4d-9c1a-2f5e8d6b3a10" } },
    });
    await portico.request("PATCH", "/v1/webhook_endpoints/{id}", {
      params: { path: { id: "0192f4c1-7a3e-7b4d-9c1a-2f5e8d6b3a10" } },
      body: { params: { status: "disabled" } },
    });
    await portico.request("DELETE", "/v1/webhook_endpoints/{id}", {
      params: { path: { id: "0192f4c1-7a3e-7b4d-9c1a-2f5e8d6b3a10" } },
    });
    const api = server.seen.filter((s) => s.url.startsWith("/v1/"));
    expect(api.map((s) => s.method)).toEqual(["GET", "PATCH", "DELETE"]);
    expect(api.map((s) => s.headers["idempotency-key"])).toEqual([undefined, undefined, undefined]);
  });

  it("a 409 code 52 (the first attempt still running) is retried after Retry-After with the same key", async () => {
    const { portico, retries } = client();
    server.script("POST /v1/payouts", [
      {
        status: 409,
        headers: { "Retry-After": "1" },
        body: error(52, "idempotency_in_flight", { retryable: true }),
      },
    ]);
    await portico.request("POST", "/v1/payouts", {
      body: { params: { amount: 1000, currency: "UZS", destination_token: "dest_tok_ok" } },
    });
    const keys = server.requests("POST /v1/payouts").map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(retries).toMatchObject([{ attempt: 1, delayMs: 1000, retryAfter: true, error: { code: 52 } }]);
  });
});

describe("retries", () => {
  it("honour Retry-After on a 429 (seconds) before the next attempt", async () => {
    const { portico, retries } = client();
    server.script("GET /v1/balance", [
      { status: 429, headers: { "Retry-After": "1" }, body: error(40, "rate_limited", { retryable: true }) },
    ]);
    await portico.request("GET", "/v1/balance");
    expect(retries).toMatchObject([{ attempt: 1, delayMs: 1000, retryAfter: true }]);
    expect(retries[0]?.error).toBeInstanceOf(RateLimitError);
    expect(server.requests("GET /v1/balance")).toHaveLength(2);
  });

  it("read Retry-After as an HTTP date too", async () => {
    const { portico, retries } = client();
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    server.script("GET /v1/balance", [{ status: 503, headers: { "Retry-After": inTwoSeconds } }]);
    await portico.request("GET", "/v1/balance");
    expect(retries).toHaveLength(1);
    expect(retries[0]?.retryAfter).toBe(true);
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(1000);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(3000);
  });

  it("do not wait out a Retry-After beyond maxRetryAfterSeconds: a daily quota is thrown at once", async () => {
    const { portico, retries } = client();
    server.script("GET /v1/balance", [
      {
        status: 429,
        headers: { "Retry-After": "36000" },
        body: error(41, "quota_exceeded", { retryable: true }),
      },
    ]);
    const e = await rejection(portico.request("GET", "/v1/balance"));
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e).toMatchObject({
      kind: "rate_limit",
      status: 429,
      code: 41,
      retryAfterSeconds: 36_000,
      retryable: true,
    });
    expect(retries).toEqual([]);
  });

  it("back off exponentially with jitter when there is no Retry-After, and stop at maxAttempts", async () => {
    const { portico, retries } = client({ maxAttempts: 4, initialDelayMs: 40, maxDelayMs: 100 });
    const down: Scripted = { status: 503, body: error(91, "upstream_unavailable", { retryable: true }) };
    server.script("GET /v1/balance", [down, down, down, down, down]);
    const e = await rejection(portico.request("GET", "/v1/balance"));
    expect(e).toBeInstanceOf(ServerError);
    expect(e).toMatchObject({ kind: "server", status: 503, code: 91 });
    expect(server.requests("GET /v1/balance")).toHaveLength(4);
    // Equal jitter: between half and all of 40·2^(n−1), capped at 100.
    const [d1, d2, d3] = retries.map((r) => r.delayMs);
    expect(retries.map((r) => r.retryAfter)).toEqual([false, false, false]);
    expect(d1).toBeGreaterThanOrEqual(20);
    expect(d1).toBeLessThanOrEqual(40);
    expect(d2).toBeGreaterThanOrEqual(40);
    expect(d2).toBeLessThanOrEqual(80);
    expect(d3).toBeGreaterThanOrEqual(50);
    expect(d3).toBeLessThanOrEqual(100);
  });

  it("retry a dropped connection and a timed-out attempt as network errors", async () => {
    const { portico, retries } = client({}, { timeoutMs: 300 });
    server.script("GET /v1/balance", [
      { status: 200, drop: true },
      { status: 200, delayMs: 1000 },
    ]);
    await portico.request("GET", "/v1/balance");
    expect(retries.map((r) => [r.error.kind, r.error.reason, r.error.status])).toEqual([
      ["network", "network", 0],
      ["network", "timeout", 0],
    ]);
    expect(retries[0]?.error).toBeInstanceOf(NetworkError);
    expect(server.requests("GET /v1/balance")).toHaveLength(3);
  });

  it("never retry a 4xx that is not retryable; each is thrown as its family", async () => {
    const cases: [Scripted, new (...args: never[]) => PorticoError, Record<string, unknown>][] = [
      [
        { status: 400, body: error(4, "validation", { field: "params.amount" }) },
        ValidationError,
        { kind: "validation", code: 4, field: "params.amount" },
      ],
      [{ status: 404, body: error(30, "not_found") }, NotFoundError, { kind: "not_found", code: 30 }],
      [
        { status: 409, body: error(60, "invalid_state_transition") },
        ConflictError,
        { kind: "conflict", code: 60 },
      ],
      [{ status: 409, body: error(1001, "application_in_progress") }, ConflictError, { code: 1001 }],
      [
        { status: 422, body: error(51, "idempotency_key_reused") },
        IdempotencyError,
        { kind: "idempotency", code: 51 },
      ],
      [
        { status: 403, body: error(20, "insufficient_scope") },
        PermissionError,
        { kind: "permission", code: 20 },
      ],
      [
        { status: 422, body: error(1002, "scoring_overdue_loans") },
        PorticoError,
        { kind: "api", code: 1002 },
      ],
    ];
    const { portico, retries } = client();
    for (const [answer, Class, fields] of cases) {
      server.seen.length = 0;
      server.script("POST /v1/payments", [answer]);
      const e = await rejection(portico.request("POST", "/v1/payments", { body: PAYMENT }));
      expect(e).toBeInstanceOf(Class);
      expect(e).toMatchObject({
        status: answer.status,
        message: expect.stringContaining("scripted"),
        ...fields,
      });
      expect(e.details).toMatchObject({ docs: `/docs#error-${fields.code}` });
      expect(server.requests("POST /v1/payments")).toHaveLength(1);
    }
    expect(retries).toEqual([]);
  });

  it("do not retry a 5xx the API marks retryable: false", async () => {
    const { portico, retries } = client();
    server.script("POST /v1/payments", [
      { status: 502, body: error(1005, "upstream_failed", { retryable: false }) },
    ]);
    const e = await rejection(portico.request("POST", "/v1/payments", { body: PAYMENT }));
    expect(e).toMatchObject({ kind: "server", code: 1005, retryable: false });
    expect(retries).toEqual([]);
  });

  it("stop when the caller aborts, during the wait, with the caller's reason", async () => {
    const { portico } = client({ initialDelayMs: 5000, maxDelayMs: 5000 });
    server.script("GET /v1/balance", [{ status: 503 }]);
    const controller = new AbortController();
    const call = portico.request("GET", "/v1/balance", { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 200));
    controller.abort(new Error("the caller gave up"));
    await expect(call).rejects.toThrow("the caller gave up");
    expect(server.requests("GET /v1/balance")).toHaveLength(1);
  });

  it("maxAttempts 1 turns them off", async () => {
    const { portico } = client({ maxAttempts: 1 });
    server.script("GET /v1/balance", [{ status: 503 }]);
    const e = await rejection(portico.request("GET", "/v1/balance"));
    expect(e).toMatchObject({ kind: "server", status: 503, code: 0, reason: "unexpected_answer" });
    expect(server.requests("GET /v1/balance")).toHaveLength(1);
  });
});

describe("the envelope", () => {
  it("a success answers its result; send() adds the status, ids and whether it was replayed", async () => {
    const { portico } = client();
    server.script("POST /v1/payments", [
      {
        status: 200,
        headers: { "Idempotent-Replayed": "true", "Portico-Version": "2026-12-01" },
        body: { id: "0192f4c1-7a3e-7b4d-9c1a-2f5e8d6b3a10", result: { id: "pay_1" }, error: null },
      },
    ]);
    const answer = await portico.send("POST", "/v1/payments", { body: PAYMENT, idempotencyKey: "k-1" });
    expect(answer).toMatchObject({
      result: { id: "pay_1" },
      status: 200,
      id: "0192f4c1-7a3e-7b4d-9c1a-2f5e8d6b3a10",
      requestId: "req_2",
      replayed: true,
      idempotencyKey: "k-1",
      apiVersion: "2026-12-01",
    });
  });

  it("a 2xx that is not the envelope is an error, not a result", async () => {
    const { portico } = client();
    server.script("GET /v1/balance", [{ status: 200, body: { hello: "world" } }]);
    const e = await rejection(portico.request("GET", "/v1/balance"));
    expect(e).toMatchObject({ kind: "api", status: 200, reason: "unexpected_answer" });
  });
});
