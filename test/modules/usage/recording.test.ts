import { afterEach, describe, expect, it, vi } from "vitest";
import { CURRENT_VERSION, FIRST_VERSION } from "../../../src/platform/versions/registry";
import { provisionPartner } from "../../support/partners";
import { partnerWithToken, rowOf, rowsOf, rowsOfRequest, send, tokenWith } from "./support";

const VISA = { amount: 150_000, currency: "UZS", payment_method_token: "pm_card_visa" };

afterEach(() => {
  vi.useRealTimers();
});

describe("the request log records every authenticated /v1 request", () => {
  it("a success: the route template, product, status, latency, key, version and client", async () => {
    const { partner, token } = await partnerWithToken();
    const key = crypto.randomUUID();
    const created = await send("POST", "/v1/payments", {
      token,
      json: { params: VISA },
      headers: { "Idempotency-Key": key, "X-Request-Id": `req-${key}` },
    });
    expect(created.res.status).toBe(200);
    const row = await rowOf(created.res);
    expect(row).toMatchObject({
      partner_id: partner.id,
      request_id: `req-${key}`,
      method: "POST",
      route: "/v1/payments",
      path: "/v1/payments",
      product: "payments",
      status: 200,
      error_code: null,
      idempotency_key: key,
      api_version: CURRENT_VERSION,
      client_id: partner.consumerKey,
    });
    expect(Number.isInteger(row.latency_ms) && row.latency_ms >= 0).toBe(true);
    expect(Date.parse(row.time)).not.toBeNaN();

    // A path with an id: the template, not the path; a GET has no key; the version asked for.
    const id = created.body.result.id;
    const read = await send("GET", `/v1/payments/${id}`, {
      token,
      headers: { "Portico-Version": FIRST_VERSION },
    });
    expect(read.res.status).toBe(200);
    expect(await rowOf(read.res)).toMatchObject({
      route: "/v1/payments/:id",
      path: `/v1/payments/${id}`,
      product: "payments",
      idempotency_key: null,
      api_version: FIRST_VERSION,
    });
  });

  it("refusals after authentication, each with its code: validation, idempotency, unknown ids, routes, methods, scopes", async () => {
    const { partner, token } = await partnerWithToken();
    const key = crypto.randomUUID();
    const cases: [Promise<{ res: Response }>, Partial<Record<string, unknown>>][] = [];
    const invalid = await send("POST", "/v1/payments", { token, json: { params: { ...VISA, amount: -1 } } });
    cases.push([
      Promise.resolve(invalid),
      { status: 400, error_code: 4, route: "/v1/payments", product: "payments" },
    ]);
    await send("POST", "/v1/payments", {
      token,
      json: { params: VISA },
      headers: { "Idempotency-Key": key },
    });
    const reused = await send("POST", "/v1/payments", {
      token,
      json: { params: { ...VISA, amount: 1 } },
      headers: { "Idempotency-Key": key },
    });
    cases.push([Promise.resolve(reused), { status: 422, error_code: 51, idempotency_key: key }]);
    const noKey = await send("POST", "/v1/payouts", {
      token,
      json: { params: { amount: 1, currency: "UZS", destination_token: "dest_tok_ok" } },
      headers: { "Idempotency-Key": "" },
    });
    cases.push([
      Promise.resolve(noKey),
      { status: 400, error_code: 50, idempotency_key: null, product: "payouts" },
    ]);
    const unknown = await send("GET", `/v1/cards/${crypto.randomUUID()}`, { token });
    cases.push([
      Promise.resolve(unknown),
      { status: 404, error_code: 30, route: "/v1/cards/:id", product: "cards" },
    ]);
    const noRoute = await send("GET", "/v1/nothing-here", { token });
    cases.push([Promise.resolve(noRoute), { status: 404, error_code: 31, route: null, product: "other" }]);
    const wrongMethod = await send("DELETE", "/v1/partner", { token });
    cases.push([
      Promise.resolve(wrongMethod),
      { status: 405, error_code: 5, route: null, product: "partner" },
    ]);
    const narrow = await tokenWith(partner, {}, "partner:read");
    const scope = await send("GET", "/v1/balance", { token: narrow });
    cases.push([
      Promise.resolve(scope),
      { status: 403, error_code: 20, route: "/v1/balance", product: "ledger" },
    ]);
    const badJson = await send("POST", "/v1/fx/quotes", {
      token,
      body: '{"params": {',
      headers: { "Content-Type": "application/json" },
    });
    cases.push([
      Promise.resolve(badJson),
      { status: 400, error_code: 2, route: "/v1/fx/quotes", product: "fx" },
    ]);

    for (const [pending, expected] of cases) {
      const { res } = await pending;
      expect(res.status).toBe(expected.status);
      const row = await rowOf(res);
      expect(row, `${row.method} ${row.path}`).toMatchObject({ partner_id: partner.id, ...expected });
      expect(row.latency_ms).toBeGreaterThanOrEqual(0);
    }
    // Every request of the partner, and nothing else: one row each (the first payment too).
    expect(await rowsOf(partner.id)).toHaveLength(cases.length + 1);
  });

  it("the limiter's refusals: 429 code 40 over the rate, 41 over the daily quota", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-09T10:00:00.100Z"));
    const rate = await partnerWithToken({ tier: "sandbox", rateLimitPerSecond: 1 });
    const first = await send("GET", "/v1/partner", { token: rate.token });
    const second = await send("GET", "/v1/partner", { token: rate.token });
    expect([first.res.status, second.res.status]).toEqual([200, 429]);
    expect(await rowOf(second.res)).toMatchObject({ status: 429, error_code: 40, route: "/v1/partner" });

    const quota = await partnerWithToken({ dailyQuota: 1 });
    vi.setSystemTime(new Date("2026-12-09T10:00:05.100Z"));
    expect((await send("GET", "/v1/balance", { token: quota.token })).res.status).toBe(200);
    const over = await send("GET", "/v1/balance", { token: quota.token });
    expect(over.res.status).toBe(429);
    expect(await rowOf(over.res)).toMatchObject({ status: 429, error_code: 41, product: "ledger" });
  });

  it("an unknown error thrown by the route: 500, and code 1 read from the answer", async () => {
    const { partner, token } = await partnerWithToken();
    // The profile is cached by a first call; then the route's own read fails (not an ApiError).
    expect((await send("GET", "/v1/partner", { token })).res.status).toBe(200);
    const { env } = await import("cloudflare:workers");
    const broken = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare")
          return (query: string) => {
            if (query.includes('from "partner_credentials"')) throw new TypeError("D1 internal: secret path");
            return target.prepare(query);
          };
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const failed = await send("GET", "/v1/partner/credentials", { token, env: { DB: broken } });
    expect(failed.res.status).toBe(500);
    expect(failed.body.error.code).toBe(1);
    expect(await rowOf(failed.res)).toMatchObject({
      partner_id: partner.id,
      route: "/v1/partner/credentials",
      status: 500,
      error_code: 1,
    });
  });

  it("not before authentication, not outside /v1 (the token endpoint), and not at all when switched off", async () => {
    const { partner, token } = await partnerWithToken();
    const anonymous = await send("GET", "/v1/partner", { headers: { "X-Request-Id": `anon-${partner.id}` } });
    expect(anonymous.res.status).toBe(401);
    const garbage = await send("GET", "/v1/partner", {
      token: "not-a-jwt",
      headers: { "X-Request-Id": `garbage-${partner.id}` },
    });
    expect(garbage.res.status).toBe(401);
    const minted = await send("POST", "/oauth2/token", {
      headers: {
        Authorization: `Basic ${btoa(`${partner.consumerKey}:${partner.consumerSecret}`)}`,
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Request-Id": `token-${partner.id}`,
      },
      body: "grant_type=client_credentials",
    });
    expect(minted.res.status).toBe(200);
    for (const id of [`anon-${partner.id}`, `garbage-${partner.id}`, `token-${partner.id}`])
      expect(await rowsOfRequest(id)).toEqual([]);

    const off = await send("GET", "/v1/partner", { token, env: { REQUEST_LOG: "off" } });
    expect(off.res.status).toBe(200);
    expect(await rowsOf(partner.id)).toEqual([]);
    const on = await send("GET", "/v1/partner", { token });
    expect((await rowOf(on.res)).partner_id).toBe(partner.id);
  });

  it("a row that cannot be written is dropped and logged by name: the answer is unaffected", async () => {
    const partner = await provisionPartner();
    const token = await tokenWith(partner);
    const warnings: string[] = [];
    const spy = vi.spyOn(console, "warn").mockImplementation((line: unknown) => {
      warnings.push(String(line));
    });
    try {
      // Dropping the table under the gateway would break other files' tests: a D1 that refuses this insert.
      const { env } = await import("cloudflare:workers");
      const refusing = new Proxy(env.DB, {
        get(target, prop) {
          if (prop === "prepare")
            return (query: string) => {
              if (query.startsWith('insert into "request_log"'))
                throw new Error(`D1_ERROR: no such table, token=${token}`);
              return target.prepare(query);
            };
          const value = Reflect.get(target, prop);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const r = await send("GET", "/v1/partner", { token, env: { DB: refusing } });
      expect(r.res.status).toBe(200);
      expect(r.body.result.id).toBe(partner.id);
    } finally {
      spy.mockRestore();
    }
    expect(await rowsOf(partner.id)).toEqual([]);
    const lines = warnings.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "request not recorded", error: "Error" }));
    expect(warnings.join("\n")).not.toContain(token);
  });
});
