import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { insertQuote } from "../../../src/modules/fx/storage";
import { call, fetchWithEnv, tokenFor } from "../../support/http";
import { db, fund, provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

const buyUsd = { sell_currency: "UZS", buy_currency: "USD", buy_amount: 10_000 };

const convertedBy = async (owner: TestPartner, token: string) => {
  await fund(owner.id, 200_000_000);
  const q = (await call("POST", "/v1/fx/quotes", { token, json: { params: buyUsd } })).body.result;
  return (await call("POST", "/v1/fx/conversions", { token, json: { params: { quote_id: q.id } } })).body
    .result.id;
};

// The conversion suite's body names one quote; the entitled partner gets that very quote, live.
const SUITE_QUOTE_ID = crypto.randomUUID();
const giveSuiteQuote = async (p: TestPartner) => {
  await fund(p.id, 200_000_000);
  const now = Date.now();
  await insertQuote(db, {
    id: SUITE_QUOTE_ID,
    partnerId: p.id,
    livemode: false,
    idempotencyKey: "security-suite",
    sellCurrency: "UZS",
    buyCurrency: "USD",
    sellAmount: 127_000_001,
    buyAmount: 10_000,
    rate: "0.00007874015748",
    fixedSide: "buy",
    expiresAt: new Date(now + 30_000).toISOString(),
    createdAt: new Date(now).toISOString(),
  });
};

securitySuite({ method: "GET", path: "/v1/fx/rates", product: "fx", scope: "fx:read" });
securitySuite({
  method: "POST",
  path: "/v1/fx/quotes",
  product: "fx",
  scope: "fx:write",
  json: { params: buyUsd },
});
securitySuite({
  method: "POST",
  path: "/v1/fx/conversions",
  product: "fx",
  scope: "fx:write",
  json: { params: { quote_id: SUITE_QUOTE_ID } },
  prepare: giveSuiteQuote,
});
securitySuite({
  method: "GET",
  path: "/v1/fx/conversions/{id}",
  product: "fx",
  scope: "fx:read",
  createOwned: convertedBy,
});

describe("fx: audit, kill switch, bad input", () => {
  it("audits quotes and conversions (no personal data in FX)", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const id = await convertedBy(p, token);
    await call("GET", `/v1/fx/conversions/${id}`, { token });
    await call("GET", "/v1/fx/rates", { token });
    const rows = (
      await env.DB.prepare("SELECT * FROM audit_log WHERE partner_id = ? ORDER BY id").bind(p.id).all()
    ).results;
    expect(rows.map((r) => [r.action, r.outcome, r.personal_data])).toEqual([
      ["POST /v1/fx/quotes", 200, 0],
      ["POST /v1/fx/conversions", 200, 0],
    ]);
  });

  it("the kill switch refuses FX with 503, code 22, and converts nothing", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    await fund(p.id, 200_000_000);
    const q = (await call("POST", "/v1/fx/quotes", { token, json: { params: buyUsd } })).body.result;
    for (const [path, init] of [
      ["/v1/fx/rates", {}],
      [
        "/v1/fx/conversions",
        {
          method: "POST",
          headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
          body: JSON.stringify({ params: { quote_id: q.id } }),
        },
      ],
    ] as const) {
      const headers = { ...("headers" in init ? init.headers : {}), Authorization: `Bearer ${token}` };
      const r = await fetchWithEnv(createApp(), { PRODUCTS_DISABLED: "fx" }, path, { ...init, headers });
      expect(r.res.status).toBe(503);
      expect(r.body).toMatchObject({ result: null, error: { code: 22 } });
    }
    const n = await env.DB.prepare("SELECT count(*) AS n FROM fx_conversions WHERE partner_id = ?")
      .bind(p.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it("bad input answers with the envelope and its code, and stores nothing", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const quoteCases: [unknown, number, string][] = [
      [{ ...buyUsd, buy_currency: "UZS" }, 4, "params.buy_currency"],
      [{ ...buyUsd, sell_amount: 100 }, 4, "params.buy_amount"],
      [{ sell_currency: "UZS", buy_currency: "USD" }, 4, "params.sell_amount"],
      [{ ...buyUsd, buy_amount: "100" }, 3, "params.buy_amount"],
      [{ ...buyUsd, buy_amount: 0 }, 4, "params.buy_amount"],
      [{ ...buyUsd, buy_amount: 2.5 }, 3, "params.buy_amount"],
      [{ ...buyUsd, sell_currency: "XXX" }, 4, "params.sell_currency"],
      [{ ...buyUsd, buy_currency: 840 }, 3, "params.buy_currency"],
      [{ ...buyUsd, buy_currency: "CHF" }, 4, "params.buy_currency"],
      [{ sell_currency: "UZS", buy_currency: "KWD", sell_amount: 1 }, 4, "params.sell_amount"],
      [
        { sell_currency: "UZS", buy_currency: "KWD", buy_amount: 100_000_000_000_000 },
        4,
        "params.buy_amount",
      ],
    ];
    for (const [params, code, field] of quoteCases) {
      const r = await call("POST", "/v1/fx/quotes", { token, json: { params } });
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect(r.body.error, JSON.stringify(params)).toMatchObject({ code, field });
    }
    const conversionCases: [unknown, number, string][] = [
      [{}, 4, "params.quote_id"],
      [{ quote_id: "q_1" }, 4, "params.quote_id"],
      [{ quote_id: 12 }, 3, "params.quote_id"],
    ];
    for (const [params, code, field] of conversionCases) {
      const r = await call("POST", "/v1/fx/conversions", { token, json: { params } });
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect(r.body.error, JSON.stringify(params)).toMatchObject({ code, field });
    }
    const malformed = await call("POST", "/v1/fx/quotes", {
      token,
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(malformed.body.error.code).toBe(2);
    for (const [method, path] of [
      ["PUT", "/v1/fx/quotes"],
      ["POST", "/v1/fx/rates"],
      ["DELETE", `/v1/fx/conversions/${crypto.randomUUID()}`],
    ] as const) {
      const r = await call(method, path, { token, json: { params: buyUsd } });
      expect(r.res.status, path).toBe(405);
      expect(r.body.error.code).toBe(5);
    }
    const notUuid = await call("GET", "/v1/fx/conversions/fxc_1", { token });
    expect(notUuid.res.status).toBe(400);
    for (const table of ["fx_quotes", "fx_conversions"]) {
      const n = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE partner_id = ?`)
        .bind(p.id)
        .first<{ n: number }>();
      expect(n?.n, table).toBe(0);
    }
  });
});
