import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FX_QUOTE_TTL_SECONDS } from "../../../src/modules/fx/fx";
import { ledgerImbalance } from "../../../src/modules/ledger/storage";
import { call, tokenFor } from "../../support/http";
import { db, fund, provisionPartner } from "../../support/partners";

async function setup(uzs = 0) {
  const p = await provisionPartner();
  let token = await tokenFor(p);
  if (uzs > 0) await fund(p.id, uzs);
  const quote = (params: Record<string, unknown>) =>
    call("POST", "/v1/fx/quotes", { token, json: { params } });
  const convert = (quote_id: string, key: string = crypto.randomUUID()) =>
    call("POST", "/v1/fx/conversions", {
      token,
      json: { params: { quote_id } },
      headers: { "Idempotency-Key": key },
    });
  const available = async () => {
    const r = (await call("GET", "/v1/balance", { token })).body.result;
    return Object.fromEntries(
      (r.available as { currency: string; amount: number }[]).map((b) => [b.currency, b.amount]),
    );
  };
  const kinds = async (reference: string) =>
    (await call("GET", `/v1/ledger/entries?reference=${reference}`, { token })).body.result.data
      .map((e: { kind: string }) => e.kind)
      .sort();
  const conversions = async () =>
    (await env.DB.prepare("SELECT id FROM fx_conversions WHERE partner_id = ?").bind(p.id).all()).results.map(
      (r) => r.id,
    );
  return {
    p,
    get token() {
      return token;
    },
    async later(ms: number) {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + ms);
      token = await tokenFor(p);
    },
    quote,
    convert,
    available,
    kinds,
    conversions,
  };
}

async function expectLedgerBalanced() {
  for (const row of await ledgerImbalance(db)) expect(Number(row.imbalance)).toBe(0);
}

const buyUsd = { sell_currency: "UZS", buy_currency: "USD", buy_amount: 10_000 };

afterEach(() => {
  vi.useRealTimers();
});

describe("GET /v1/fx/rates", () => {
  it("every pair the bank converts, with decimal-string rates, filterable", async () => {
    const s = await setup();
    const all = await call("GET", "/v1/fx/rates", { token: s.token });
    expect(all.res.status).toBe(200);
    expect(all.body.result).toMatchObject({ object: "fx_rates", base: "UZS" });
    expect(all.body.result.data).toHaveLength(8 * 7);
    const rate = (sell: string, buy: string) =>
      all.body.result.data.find(
        (r: { sell_currency: string; buy_currency: string }) =>
          r.sell_currency === sell && r.buy_currency === buy,
      )?.rate;
    expect(rate("USD", "UZS")).toBe("12600");
    expect(rate("UZS", "USD")).toBe("0.00007874015748");
    expect(rate("USD", "EUR")).toBe("0.9130434782");
    expect(rate("USD", "USD")).toBeUndefined();
    for (const r of all.body.result.data) expect(typeof r.rate).toBe("string");

    const usd = await call("GET", "/v1/fx/rates?sell_currency=USD", { token: s.token });
    expect(usd.body.result.data).toHaveLength(7);
    const one = await call("GET", "/v1/fx/rates?sell_currency=USD&buy_currency=UZS", { token: s.token });
    expect(one.body.result.data).toEqual([{ sell_currency: "USD", buy_currency: "UZS", rate: "12600" }]);
    const bad = await call("GET", "/v1/fx/rates?sell_currency=XXX", { token: s.token });
    expect(bad.res.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 4, field: "sell_currency" });
  });
});

describe("quotes and conversions", () => {
  it("a quote fixes one amount and rounds the other in the bank's favour, for 30 s", async () => {
    const s = await setup();
    const selling = await s.quote({ sell_currency: "UZS", buy_currency: "USD", sell_amount: 127_000_000 });
    expect(selling.res.status).toBe(200);
    const q = selling.body.result;
    // 1 270 000.00 UZS × 0.00007874015748 = 99.9999999996 USD: received, rounded down.
    expect(q).toMatchObject({
      object: "fx_quote",
      sell_currency: "UZS",
      sell_amount: 127_000_000,
      buy_currency: "USD",
      buy_amount: 9_999,
      rate: "0.00007874015748",
      fixed_side: "sell",
      livemode: false,
    });
    expect(Date.parse(q.expires_at) - Date.parse(q.created_at)).toBe(FX_QUOTE_TTL_SECONDS * 1000);

    // Buying exactly 100.00 USD costs 1 270 000.01 UZS: paid, rounded up.
    const buying = (await s.quote(buyUsd)).body.result;
    expect(buying).toMatchObject({ sell_amount: 127_000_001, buy_amount: 10_000, fixed_side: "buy" });
    // Exponents: 1000 JPY (exponent 0) buys 2.000 KWD (exponent 3).
    const jpy = (await s.quote({ sell_currency: "JPY", buy_currency: "KWD", sell_amount: 1_000 })).body
      .result;
    expect(jpy).toMatchObject({ buy_amount: 2_000, rate: "0.002" });
  });

  it("converting moves both balances, posts one entry per currency, and emits the event", async () => {
    const s = await setup(200_000_000);
    const q = (await s.quote(buyUsd)).body.result;
    const r = await s.convert(q.id);
    expect(r.res.status).toBe(200);
    const conversion = r.body.result;
    expect(conversion).toMatchObject({
      object: "fx_conversion",
      quote_id: q.id,
      status: "completed",
      sell_currency: "UZS",
      sell_amount: 127_000_001,
      buy_currency: "USD",
      buy_amount: 10_000,
      rate: q.rate,
      livemode: false,
    });
    expect(conversion.completed_at).not.toBeNull();
    expect(await s.available()).toEqual({ UZS: 200_000_000 - 127_000_001, USD: 10_000 });
    expect(await s.kinds(conversion.id)).toEqual(["fx_buy", "fx_sell"]);
    const position = await env.DB.prepare(
      "SELECT p.account_id, p.direction, p.amount FROM postings p JOIN journal_entries e ON e.id = p.entry_id WHERE e.reference = ? AND p.account_id LIKE 'platform:fx_position:%' ORDER BY p.account_id",
    )
      .bind(conversion.id)
      .all();
    expect(position.results).toEqual([
      { account_id: "platform:fx_position:USD", direction: "debit", amount: 10_000 },
      { account_id: "platform:fx_position:UZS", direction: "credit", amount: 127_000_001 },
    ]);
    const got = await call("GET", `/v1/fx/conversions/${conversion.id}`, { token: s.token });
    expect(got.body.result).toEqual(conversion);
    const events = await env.DB.prepare("SELECT type, data FROM events WHERE partner_id = ?")
      .bind(s.p.id)
      .all<{ type: string; data: string }>();
    expect(events.results.map((e) => e.type)).toEqual(["fx_conversion.completed"]);
    expect(JSON.parse(events.results[0]?.data ?? "{}").object).toEqual(conversion);

    // A used quote is refused (66) and moves nothing; a replay of the key answers the conversion.
    const again = await s.convert(q.id);
    expect(again.res.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 66, reason: "quote_used" });
    expect(await s.available()).toEqual({ UZS: 200_000_000 - 127_000_001, USD: 10_000 });
    await expectLedgerBalanced();
  });

  it("a replay under the same key answers the same conversion", async () => {
    const s = await setup(200_000_000);
    const q = (await s.quote(buyUsd)).body.result;
    const key = crypto.randomUUID();
    const first = await s.convert(q.id, key);
    const replay = await s.convert(q.id, key);
    expect(replay.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.body.result).toEqual(first.body.result);
    expect(await s.conversions()).toHaveLength(1);
  });

  it("an expired quote is refused (65) and moves nothing", async () => {
    const s = await setup(200_000_000);
    const q = (await s.quote(buyUsd)).body.result;
    await s.later(FX_QUOTE_TTL_SECONDS * 1000);
    const r = await s.convert(q.id);
    expect(r.res.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 65, reason: "quote_expired" });
    expect(r.body.error.message).toBe(`The quote expired at ${q.expires_at}; get a new one`);
    expect(await s.available()).toEqual({ UZS: 200_000_000 });
    expect(await s.conversions()).toEqual([]);
  });

  it("a quote one second before expiry still converts", async () => {
    const s = await setup(200_000_000);
    const q = (await s.quote(buyUsd)).body.result;
    await s.later(FX_QUOTE_TTL_SECONDS * 1000 - 1_000);
    expect((await s.convert(q.id)).body.result.status).toBe("completed");
  });

  it("20 concurrent conversions of one quote: exactly one succeeds, the others are 66", async () => {
    const s = await setup(2_000_000_000);
    const q = (await s.quote(buyUsd)).body.result;
    const results = await Promise.all(Array.from({ length: 20 }, () => s.convert(q.id)));
    const ok = results.filter((r) => r.res.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.res.status !== 200)) {
      expect(r.res.status).toBe(409);
      expect(r.body.error.code).toBe(66);
    }
    expect(await s.available()).toEqual({ UZS: 2_000_000_000 - 127_000_001, USD: 10_000 });
    expect(await s.conversions()).toHaveLength(1);
    await expectLedgerBalanced();
  });

  it("never beyond the available balance (62): the quote stays usable, and concurrent conversions never overdraw", async () => {
    const s = await setup(127_000_000);
    const q = (await s.quote(buyUsd)).body.result;
    const short = await s.convert(q.id);
    expect(short.res.status).toBe(409);
    expect(short.body.error).toMatchObject({ code: 62, reason: "insufficient_balance" });
    expect(short.body.error.message).toBe(
      "The amount 127000001 exceeds the available balance in UZS: 127000000",
    );
    expect(await s.conversions()).toEqual([]);
    await fund(s.p.id, 1);
    expect((await s.convert(q.id)).body.result.status).toBe("completed");
    expect(await s.available()).toEqual({ UZS: 0, USD: 10_000 });

    // 100.00 USD, five quotes selling 30.00 USD each, converted at once: three fit.
    const t = await setup();
    await fund(t.p.id, 10_000, "USD");
    const quotes = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.quote({ sell_currency: "USD", buy_currency: "UZS", sell_amount: 3_000 }),
      ),
    );
    const results = await Promise.all(quotes.map((x) => t.convert(x.body.result.id)));
    expect(results.filter((r) => r.res.status === 200)).toHaveLength(3);
    for (const r of results.filter((x) => x.res.status !== 200)) expect(r.body.error.code).toBe(62);
    expect(await t.available()).toEqual({ USD: 1_000, UZS: 3 * 37_800_000 });
    await expectLedgerBalanced();
  });

  it("another partner's quote or conversion answers exactly as an unknown one: 404, code 30", async () => {
    const owner = await setup(200_000_000);
    const q = (await owner.quote(buyUsd)).body.result;
    const intruder = await setup(200_000_000);
    const foreign = await intruder.convert(q.id);
    const unknown = await intruder.convert(crypto.randomUUID());
    for (const r of [foreign, unknown]) {
      expect(r.res.status).toBe(404);
      expect(r.body.error).toMatchObject({ code: 30, field: "params.quote_id" });
    }
    expect(foreign.body.error.message.replace(q.id, "ID")).toBe(
      unknown.body.error.message.replace(/[0-9a-f-]{36}/, "ID"),
    );
    // The owner's quote was not touched.
    const converted = (await owner.convert(q.id)).body.result;
    const peek = await call("GET", `/v1/fx/conversions/${converted.id}`, { token: intruder.token });
    expect(peek.res.status).toBe(404);
    expect(peek.body.error.code).toBe(30);
  });
});
