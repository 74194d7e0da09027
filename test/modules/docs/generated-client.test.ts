import { SELF } from "cloudflare:test";
import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
// Generated from /openapi.json by `npm run client:generate` (run by `npm run typecheck`).
import type { paths } from "../../generated/portico-api";
import { BASE, basic } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { until } from "../../support/webhooks";

/** The header the document requires on every POST under /v1: a fresh key per operation. */
const once = () => ({ "Idempotency-Key": crypto.randomUUID() });

/** A partner's client, typed only by the published document; every call goes to the Worker under test. */
function portico() {
  const client = createClient<paths>({ baseUrl: BASE, fetch: (request) => SELF.fetch(request) });
  let token: string | undefined;
  client.use({
    onRequest({ request }) {
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  });
  return {
    client,
    useToken(value: string) {
      token = value;
    },
  };
}

describe("a client generated from /openapi.json (openapi-typescript + openapi-fetch)", () => {
  it("runs the demo flow, typed end to end: pay, confirm, capture, refund, pay out, settle", async () => {
    const p = await provisionPartner({ feeBps: 150 });
    const { client, useToken } = portico();

    const token = await client.POST("/oauth2/token", {
      headers: { Authorization: basic(p.consumerKey, p.consumerSecret) },
      body: { grant_type: "client_credentials" },
    });
    expect(token.error).toBeUndefined();
    expect(token.data?.token_type).toBe("Bearer");
    useToken(token.data?.access_token ?? "");

    const created = await client.POST("/v1/payments", {
      params: { header: once() },
      body: {
        id: crypto.randomUUID(),
        params: { amount: 150_000, currency: "UZS", payment_method_token: "pm_card_3ds", capture: false },
      },
    });
    expect(created.response.status).toBe(200);
    const payment = created.data?.result;
    expect(payment).toMatchObject({ status: "requires_action", amount: 150_000, capture: false });
    const id = payment?.id ?? "";

    const path = () => ({ path: { id }, header: once() });
    const confirmed = await client.POST("/v1/payments/{id}/confirm", {
      params: path(),
      body: { params: { authentication_result: "success" } },
    });
    // The envelope's `error: null`: openapi-fetch's types drop a null-only member, so match the object.
    expect(confirmed.data).toMatchObject({ error: null });
    expect(confirmed.data?.result).toMatchObject({ id, status: "authorized", amount_capturable: 150_000 });

    const captured = await client.POST("/v1/payments/{id}/capture", {
      params: path(),
      body: { params: { amount: 100_000 } },
    });
    // Captured in part: the rest of the authorization is released.
    expect(captured.data?.result).toMatchObject({
      status: "captured",
      amount_captured: 100_000,
      amount_capturable: 0,
    });

    const refunded = await client.POST("/v1/payments/{id}/refunds", {
      params: path(),
      body: { params: { amount: 40_000, reason: "requested_by_customer" } },
    });
    const refund = refunded.data?.result;
    expect(refund).toMatchObject({ payment_id: id, amount: 40_000, status: "succeeded" });

    const entriesOf = async (reference: string) => {
      const r = await client.GET("/v1/ledger/entries", { params: { query: { reference } } });
      return r.data?.result.data ?? [];
    };
    const available = async () => {
      const r = await client.GET("/v1/balance");
      const uzs = (list: { currency: string; amount: number }[] = []) =>
        list.find((b) => b.currency === "UZS")?.amount ?? 0;
      return { available: uzs(r.data?.result.available), reserved: uzs(r.data?.result.reserved) };
    };
    // Postings leave the payment's Durable Object through its outbox, a moment after the answer.
    const [capture] = await until(async () => (await entriesOf(id)).length > 0 && entriesOf(id));
    expect(capture).toMatchObject({
      kind: "capture",
      amount: 100_000,
      postings: [{ account: "partner_available", direction: "credit", amount: 98_500 }],
    });
    await until(async () => (await entriesOf(refund?.id ?? "")).length > 0);
    expect(await available()).toEqual({ available: 58_500, reserved: 0 });

    const queued = await client.POST("/v1/payouts", {
      params: { header: once() },
      body: { params: { amount: 50_000, currency: "UZS", destination_token: "dest_tok_ok" } },
    });
    const payout = queued.data?.result;
    expect(payout).toMatchObject({ amount: 50_000, status: "queued" });
    expect(await available()).toEqual({ available: 8_500, reserved: 50_000 });

    const paid = await client.POST("/v1/sandbox/payouts/{id}/simulate", {
      params: { path: { id: payout?.id ?? "" }, header: once() },
      body: { params: { outcome: "paid" } },
    });
    expect(paid.data?.result).toMatchObject({ id: payout?.id, status: "paid" });
    const kinds = await until(async () => {
      const found = (await entriesOf(payout?.id ?? "")).map((e) => e.kind).sort();
      return found.length === 2 && found;
    });
    expect(kinds).toEqual(["payout_hold", "payout_paid"]);
    expect(await available()).toEqual({ available: 8_500, reserved: 0 });
  });
});
