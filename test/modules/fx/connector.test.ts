import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { HttpRates } from "../../../src/modules/fx/connector/http";
import { CircuitBreaker } from "../../../src/platform/upstream";
import { fetchWithEnv, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { refusal, testUpstream } from "../../support/upstream";
import { receiver } from "../../support/webhooks";

// The bank's treasury (rates) over HTTP, against the real local HTTP server of the test set-up.

const rates = (url: string, breaker = new CircuitBreaker(3, 60_000)) =>
  new HttpRates(testUpstream("fx", url, breaker));

const table = JSON.stringify({
  base: "UZS",
  as_of: "2026-03-01T10:00:00+05:00",
  rates: [
    { currency: "USD", buy: "12500.00", sell: "12800.00" },
    { currency: "EUR", buy: "13500", sell: "13900.5" },
  ],
});

describe("HttpRates", () => {
  it("maps the treasury's table", async () => {
    const server = receiver();
    await server.script({ body: table });
    expect(await rates(server.url).rates()).toEqual({
      base: "UZS",
      asOf: "2026-03-01T10:00:00+05:00",
      rates: [
        { currency: "USD", buy: "12500.00", sell: "12800.00" },
        { currency: "EUR", buy: "13500", sell: "13900.5" },
      ],
    });
  });

  it("retries 503 and succeeds", async () => {
    const server = receiver();
    await server.script({ fail: 2, status: 503, body: table });
    expect((await rates(server.url).rates()).rates).toHaveLength(2);
    expect((await server.received()).map((r) => r.answered)).toEqual([503, 503, 200]);
  });

  it("a 400 is 1005 without a retry", async () => {
    const server = receiver();
    await server.script({ fail: 5, status: 400 });
    expect((await refusal(rates(server.url).rates())).code).toBe(1005);
    expect((await server.received()).length).toBe(1);
  });

  it("an empty answer is 1004; a table it cannot trust is 1005", async () => {
    for (const body of ["", "null"]) {
      const server = receiver();
      await server.script({ body });
      expect((await refusal(rates(server.url).rates())).code).toBe(1004);
    }
    for (const body of [
      '{"base":"UZS","as_of":"2026-03-01T10:00:00Z","rates":[{"currency":"USD","buy":12500.5,"sell":"12800"}]}',
      '{"base":"UZS","as_of":"2026-03-01T10:00:00Z","rates":[{"currency":"USD","buy":"12900","sell":"12800"}]}',
      '{"base":"UZS","as_of":"2026-03-01T10:00:00Z","rates":[{"currency":"USD","buy":"0","sell":"1"}]}',
      '{"base":"UZS","as_of":"2026-03-01T10:00:00Z","rates":[]}',
    ]) {
      const server = receiver();
      await server.script({ body });
      expect((await refusal(rates(server.url).rates())).code, body).toBe(1005);
    }
  });

  it("three failed calls open the breaker: the next is 91 without reaching the server", async () => {
    const server = receiver();
    await server.script({ fail: 100, status: 503 });
    const breaker = new CircuitBreaker(3, 60_000);
    for (let i = 0; i < 3; i++) expect((await refusal(rates(server.url, breaker).rates())).code).toBe(1005);
    const sent = (await server.received()).length;
    const open = await refusal(rates(server.url, breaker).rates());
    expect([open.code, open.status]).toEqual([91, 503]);
    expect((await server.received()).length).toBe(sent);
  });

  it("is what the API quotes from when UPSTREAM_URLS names fx", async () => {
    const server = receiver();
    await server.script({ body: table });
    const p = await provisionPartner();
    const overrides = { UPSTREAM_URLS: JSON.stringify({ fx: `${server.url}/` }) };
    const headers = { Authorization: `Bearer ${await tokenFor(p)}` };
    const listed = await fetchWithEnv(createApp(), overrides, "/v1/fx/rates?sell_currency=USD", { headers });
    expect(listed.body.result).toMatchObject({ base: "UZS", as_of: "2026-03-01T10:00:00+05:00" });
    expect(listed.body.result.data).toEqual([
      { sell_currency: "USD", buy_currency: "UZS", rate: "12500" },
      { sell_currency: "USD", buy_currency: "EUR", rate: "0.8992482284" },
    ]);
    const quoted = await fetchWithEnv(createApp(), overrides, "/v1/fx/quotes", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({ params: { sell_currency: "USD", buy_currency: "UZS", sell_amount: 100 } }),
    });
    expect(quoted.body.result).toMatchObject({ rate: "12500", buy_amount: 1_250_000 });
  });
});
