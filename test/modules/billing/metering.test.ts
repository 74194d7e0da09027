import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { partnerWithToken, send } from "../usage/support";
import { callsOf, meteredOf, meteredTotal } from "./metering-support";

// Every authenticated /v1 call is counted once, through the real METERING_QUEUE and its consumer
// (src/queues.ts): the sends below return once their window's message is on the queue, and the
// test waits for the consumer to have counted them.

afterEach(() => {
  vi.useRealTimers();
});

const buyUsd = { sell_currency: "UZS", buy_currency: "USD", buy_amount: 1_000 };

describe("metering: counted on the hot path, added once off it", () => {
  it("N concurrent calls are N, in one window's message or one message each", async () => {
    const { partner, token } = await partnerWithToken();
    const windowed = await Promise.all(
      Array.from({ length: 12 }, () =>
        send("GET", "/v1/partner", { token, env: { METERING_BATCH_MS: "50" } }),
      ),
    );
    expect(windowed.map((a) => a.res.status)).toEqual(Array(12).fill(200));
    const each = await Promise.all(Array.from({ length: 8 }, () => send("GET", "/v1/partner", { token })));
    expect(each.map((a) => a.res.status)).toEqual(Array(8).fill(200));
    expect(await meteredTotal(partner.id, 20)).toEqual({ "getPartner/success": 20 });
    const [row] = await meteredOf(partner.id);
    expect(row).toMatchObject({ product: "partner", operation: "getPartner", outcome: "success", calls: 20 });
    expect(row?.hour).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);
  });

  it("an idempotent replay is not billed again; concurrent duplicates of a keyed POST count once", async () => {
    const { partner, token } = await partnerWithToken();
    const key = crypto.randomUUID();
    const first = await send("POST", "/v1/fx/quotes", {
      token,
      json: { params: buyUsd },
      headers: { "Idempotency-Key": key },
    });
    expect(first.res.status).toBe(200);
    const replays = await Promise.all(
      Array.from({ length: 3 }, () =>
        send("POST", "/v1/fx/quotes", {
          token,
          json: { params: buyUsd },
          headers: { "Idempotency-Key": key },
        }),
      ),
    );
    expect(replays.map((r) => r.res.headers.get("Idempotent-Replayed"))).toEqual(["true", "true", "true"]);
    expect(replays.map((r) => r.body.result.id)).toEqual(Array(3).fill(first.body.result.id));

    // Racing duplicates under another key, within one window and across windows: one executes, the
    // others are replays or 409 code 52 (in flight, refused); the call is billed once.
    const race = crypto.randomUUID();
    const racing = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        send("POST", "/v1/fx/quotes", {
          token,
          json: { params: buyUsd },
          headers: { "Idempotency-Key": race },
          env: { METERING_BATCH_MS: i % 2 === 0 ? "30" : "0" },
        }),
      ),
    );
    const inFlight = racing.filter((r) => r.res.status === 409);
    for (const r of inFlight) expect(r.body.error.code).toBe(52);
    expect(racing.filter((r) => r.res.status === 200).length).toBe(6 - inFlight.length);

    const expected: Record<string, number> = { "createFxQuote/success": 2 };
    if (inFlight.length > 0) expected["createFxQuote/refused"] = inFlight.length;
    expect(await meteredTotal(partner.id, 2 + inFlight.length)).toEqual(expected);
  });

  it("outcomes: client errors and server errors are billable, the limiter's refusals are counted as refused", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-09T10:00:00.100Z"));
    const { partner, token } = await partnerWithToken({ tier: "sandbox", rateLimitPerSecond: 1 });
    const ok = await send("GET", "/v1/partner", { token });
    const limited = await send("GET", "/v1/partner", { token });
    expect([ok.res.status, limited.res.status]).toEqual([200, 429]);
    expect(limited.body.error.code).toBe(40);
    vi.setSystemTime(new Date("2026-12-09T10:00:02.100Z"));
    const unknown = await send("GET", "/v1/no/such/route", { token });
    expect(unknown.res.status).toBe(404);
    vi.setSystemTime(new Date("2026-12-09T10:00:04.100Z"));
    const missing = await send("GET", `/v1/fx/conversions/${crypto.randomUUID()}`, { token });
    expect(missing.res.status).toBe(404);
    expect(missing.body.error.code).not.toBe(31);

    // A route's own failure (not an ApiError): 500, billable as a server error.
    vi.setSystemTime(new Date("2026-12-09T10:00:06.100Z"));
    const broken = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare")
          return (query: string) => {
            if (query.includes('from "partner_credentials"')) throw new TypeError("D1 internal");
            return target.prepare(query);
          };
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const failed = await send("GET", "/v1/partner/credentials", { token, env: { DB: broken } });
    expect(failed.res.status).toBe(500);

    const quota = await partnerWithToken({ dailyQuota: 1 });
    vi.setSystemTime(new Date("2026-12-09T10:00:08.100Z"));
    expect((await send("GET", "/v1/balance", { token: quota.token })).res.status).toBe(200);
    const over = await send("GET", "/v1/balance", { token: quota.token });
    expect([over.res.status, over.body.error.code]).toEqual([429, 41]);

    expect(await meteredTotal(partner.id, 5)).toEqual({
      "getPartner/success": 1,
      "getPartner/refused": 1,
      "unmatched/refused": 1,
      "getFxConversion/client_error": 1,
      "listCredentials/server_error": 1,
    });
    expect(await meteredTotal(quota.partner.id, 2)).toEqual({
      "getBalance/success": 1,
      "getBalance/refused": 1,
    });
    // Every row of the hour the calls were made in.
    for (const row of await meteredOf(partner.id)) expect(row.hour).toBe("2026-12-09T10:00:00Z");
  });

  it("not when switched off (METERING=off), and not before authentication", async () => {
    const { partner, token } = await partnerWithToken();
    expect((await send("GET", "/v1/partner", { token, env: { METERING: "off" } })).res.status).toBe(200);
    expect((await send("GET", "/v1/partner", {})).res.status).toBe(401);
    expect((await send("GET", "/v1/balance", { token })).res.status).toBe(200);
    expect(await meteredTotal(partner.id, 1)).toEqual({ "getBalance/success": 1 });
    expect(await callsOf(partner.id)).toEqual({ "getBalance/success": 1 });
  });
});
