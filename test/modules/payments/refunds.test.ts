import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ledgerImbalance } from "../../../src/modules/ledger/storage";
import { call, tokenFor } from "../../support/http";
import { drain, paymentObject } from "../../support/objects";
import { db, provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

const visa = { amount: 100_000, currency: "UZS", payment_method_token: "pm_card_visa" };

async function setup() {
  const p = await provisionPartner({ feeBps: 100 });
  const token = await tokenFor(p);
  const key = crypto.randomUUID();
  const payment = (
    await call("POST", "/v1/payments", { token, json: { params: visa }, headers: { "Idempotency-Key": key } })
  ).body.result;
  const refund = (params?: Record<string, unknown>) =>
    call("POST", `/v1/payments/${payment.id}/refunds`, { token, ...(params ? { json: { params } } : {}) });
  return { p, token, payment, refund, drain: () => drain(paymentObject(p.id, key)) };
}

const ownedPayment = async (_o: TestPartner, token: string) =>
  (await call("POST", "/v1/payments", { token, json: { params: visa } })).body.result.id;
securitySuite({
  method: "POST",
  path: "/v1/payments/{id}/refunds",
  product: "payments",
  scope: "payments:write",
  createOwned: ownedPayment,
});
securitySuite({
  method: "GET",
  path: "/v1/refunds/{id}",
  product: "payments",
  scope: "payments:read",
  createOwned: async (owner, token) => {
    const id = await ownedPayment(owner, token);
    return (await call("POST", `/v1/payments/${id}/refunds`, { token, json: { params: { amount: 1 } } })).body
      .result.id;
  },
});

describe("refunds", () => {
  it("refunds in parts, then the rest; the payment and the ledger follow", async () => {
    const s = await setup();
    const first = await s.refund({ amount: 30_000, reason: "requested_by_customer" });
    expect(first.res.status).toBe(200);
    expect(first.body.result).toMatchObject({
      object: "refund",
      payment_id: s.payment.id,
      amount: 30_000,
      currency: "UZS",
      status: "succeeded",
      reason: "requested_by_customer",
    });
    const afterFirst = await call("GET", `/v1/payments/${s.payment.id}`, { token: s.token });
    expect(afterFirst.body.result).toMatchObject({ status: "partially_refunded", amount_refunded: 30_000 });
    const rest = await s.refund();
    expect(rest.body.result.amount).toBe(70_000);
    const got = await call("GET", `/v1/refunds/${rest.body.result.id}`, { token: s.token });
    expect(got.body.result).toEqual(rest.body.result);
    const final = await call("GET", `/v1/payments/${s.payment.id}`, { token: s.token });
    expect(final.body.result).toMatchObject({ status: "refunded", amount_refunded: 100_000 });

    await s.drain();
    // Captured 100 000 net of a 1 % fee, then all of it refunded: the fee stays with the bank.
    const balance = await call("GET", "/v1/balance", { token: s.token });
    expect(balance.body.result.available).toEqual([{ currency: "UZS", amount: -1_000 }]);
    const types = (
      await env.DB.prepare("SELECT type FROM events WHERE partner_id = ? ORDER BY id").bind(s.p.id).all()
    ).results;
    expect(types.map((r) => r.type)).toEqual(["payment.captured", "refund.succeeded", "refund.succeeded"]);
    for (const row of await ledgerImbalance(db)) expect(Number(row.imbalance)).toBe(0);
  });

  it("never refunds more than captured (409, code 61) and changes nothing", async () => {
    const s = await setup();
    const over = await s.refund({ amount: 100_001 });
    expect([over.res.status, over.body.error.code, over.body.error.field]).toEqual([
      409,
      61,
      "params.amount",
    ]);
    await s.refund({ amount: 100_000 });
    const more = await s.refund({ amount: 1 });
    expect([more.res.status, more.body.error.code]).toEqual([409, 60]);
    const p = await call("GET", `/v1/payments/${s.payment.id}`, { token: s.token });
    expect(p.body.result.amount_refunded).toBe(100_000);
  });

  it("refuses to refund what was never captured", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const auth = (
      await call("POST", "/v1/payments", { token, json: { params: { ...visa, capture: false } } })
    ).body.result;
    const r = await call("POST", `/v1/payments/${auth.id}/refunds`, { token });
    expect([r.res.status, r.body.error.code]).toEqual([409, 60]);
    expect(r.body.error.message).toBe("Cannot refund a payment whose status is authorized");
  });

  it("validates amount and reason", async () => {
    const s = await setup();
    for (const [params, code, field] of [
      [{ amount: 0 }, 4, "params.amount"],
      [{ amount: "5" }, 3, "params.amount"],
      [{ reason: "because" }, 4, "params.reason"],
    ] as const) {
      const r = await s.refund(params);
      expect([r.res.status, r.body.error.code, r.body.error.field]).toEqual([400, code, field]);
    }
  });

  it("concurrent refunds never exceed what was captured", async () => {
    const s = await setup();
    const results = await Promise.all(Array.from({ length: 10 }, () => s.refund({ amount: 30_000 })));
    const succeeded = results.filter((r) => r.res.status === 200);
    expect(succeeded).toHaveLength(3);
    expect(results.filter((r) => r.res.status === 409)).toHaveLength(7);
    const p = await call("GET", `/v1/payments/${s.payment.id}`, { token: s.token });
    expect(p.body.result).toMatchObject({ amount_refunded: 90_000, status: "partially_refunded" });
  });
});
