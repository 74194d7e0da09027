// The SDK's types, read from the generated document: checked by tsc (npm run typecheck, which
// includes test/sdk), where a wrong type or a missing @ts-expect-error fails. The calls are never sent.
import { describe, expect, expectTypeOf, it } from "vitest";
import { type components, Portico, type PorticoError } from "../../sdk/typescript/src/index";

type Schemas = components["schemas"];
const portico = new Portico({ baseUrl: "http://127.0.0.1:1", consumerKey: "ck", consumerSecret: "cs" });

async function typed() {
  const payment = await portico.request("POST", "/v1/payments", {
    body: { params: { amount: 150_000, currency: "UZS", payment_method_token: "pm_card_visa" } },
  });
  expectTypeOf(payment).toEqualTypeOf<Schemas["Payment"]>();
  const read = await portico.request("GET", "/v1/payments/{id}", { params: { path: { id: payment.id } } });
  expectTypeOf(read).toEqualTypeOf<Schemas["Payment"]>();
  const page = await portico.request("GET", "/v1/payments", { params: { query: { status: "captured" } } });
  expectTypeOf(page.data).toEqualTypeOf<Schemas["Payment"][]>();
  const answer = await portico.send("POST", "/v1/payouts", {
    body: { params: { amount: 1, currency: "UZS", destination_token: "dest_tok_ok" } },
    idempotencyKey: "mine",
  });
  expectTypeOf(answer.result).toEqualTypeOf<Schemas["Payout"]>();
  expectTypeOf(answer.replayed).toEqualTypeOf<boolean>();
  for await (const item of portico.paginate("/v1/payouts", { query: { limit: 50 } })) {
    expectTypeOf(item).toEqualTypeOf<Schemas["Payout"]>();
  }
  // No options where nothing is required; no Idempotency-Key to give: the SDK makes it.
  await portico.request("GET", "/v1/balance");
  await portico.request("POST", "/v1/payments/{id}/cancel", { params: { path: { id: payment.id } } });
  // Account calls take a Consent-Id header; a consent-bound token reads its own consent without one.
  await portico.request("GET", "/v1/accounts", { params: { header: { "Consent-Id": "c" } } });
  await portico.request("GET", "/v1/accounts");

  // @ts-expect-error the path parameter is required
  await portico.request("GET", "/v1/payments/{id}");
  // @ts-expect-error Consent-Id is a string
  await portico.request("GET", "/v1/accounts", { params: { header: { "Consent-Id": 1 } } });
  // @ts-expect-error an amount is a number
  await portico.request("POST", "/v1/payments", { body: { params: { amount: "1", currency: "UZS" } } });
  // @ts-expect-error no such operation
  await portico.request("PATCH", "/v1/payments");
  // @ts-expect-error no such path
  await portico.request("GET", "/v1/nothing");
  // @ts-expect-error the token endpoint is not enveloped: not a request() path
  await portico.request("POST", "/oauth2/token");
  // @ts-expect-error not a list
  portico.paginate("/v1/balance");
}

describe("the SDK's types", () => {
  it("come from the generated document (checked by tsc; nothing is sent)", () => {
    expect(typeof typed).toBe("function");
    expectTypeOf<PorticoError["code"]>().toEqualTypeOf<number>();
  });
});
