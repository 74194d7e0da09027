import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, tokenFor } from "../../support/http";
import { drain, paymentObject } from "../../support/objects";
import { provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

const visa = { amount: 150_000, currency: "UZS", payment_method_token: "pm_card_visa" };

async function setup(feeBps = 0) {
  const p = await provisionPartner({ feeBps });
  const token = await tokenFor(p);
  const keys: string[] = [];
  const create = async (params: Record<string, unknown>) => {
    const key = crypto.randomUUID();
    keys.push(key);
    return (
      await call("POST", "/v1/payments", { token, json: { params }, headers: { "Idempotency-Key": key } })
    ).body.result;
  };
  const op = (id: string, name: string, params?: Record<string, unknown>) =>
    call("POST", `/v1/payments/${id}/${name}`, { token, ...(params ? { json: { params } } : {}) });
  const drainAll = async () => {
    for (const key of keys) await drain(paymentObject(p.id, key));
  };
  const events = async () =>
    (
      await env.DB.prepare("SELECT type FROM events WHERE partner_id = ? ORDER BY id").bind(p.id).all()
    ).results.map((r) => r.type);
  return { p, token, create, op, drainAll, events };
}

const owned = async (_o: TestPartner, token: string) =>
  (await call("POST", "/v1/payments", { token, json: { params: { ...visa, capture: false } } })).body.result
    .id;
securitySuite({
  method: "POST",
  path: "/v1/payments/{id}/capture",
  product: "payments",
  scope: "payments:write",
  createOwned: owned,
});
securitySuite({
  method: "POST",
  path: "/v1/payments/{id}/cancel",
  product: "payments",
  scope: "payments:write",
  createOwned: owned,
});

describe("payment operations", () => {
  it("captures part of an authorization, releases the rest, posts the captured amount", async () => {
    const s = await setup(200);
    const payment = await s.create({ ...visa, capture: false });
    const captured = await s.op(payment.id, "capture", { amount: 100_000 });
    expect(captured.res.status).toBe(200);
    expect(captured.body.result).toMatchObject({
      status: "captured",
      amount_captured: 100_000,
      amount_capturable: 0,
    });
    await s.drainAll();
    const balance = await call("GET", "/v1/balance", { token: s.token });
    expect(balance.body.result.available).toEqual([{ currency: "UZS", amount: 98_000 }]); // 2 % fee
    expect(await s.events()).toEqual(["payment.authorized", "payment.captured"]);
  });

  it("captures all that is capturable by default; a second capture is an illegal transition", async () => {
    const s = await setup();
    const payment = await s.create({ ...visa, capture: false });
    expect((await s.op(payment.id, "capture")).body.result.amount_captured).toBe(150_000);
    const again = await s.op(payment.id, "capture");
    expect(again.res.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 60,
      message: "Cannot capture a payment whose status is captured",
    });
  });

  it("refuses to capture more than capturable (409, code 61) and changes nothing", async () => {
    const s = await setup();
    const payment = await s.create({ ...visa, capture: false });
    const over = await s.op(payment.id, "capture", { amount: 150_001 });
    expect(over.res.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 61, field: "params.amount" });
    const got = await call("GET", `/v1/payments/${payment.id}`, { token: s.token });
    expect(got.body.result).toMatchObject({ status: "authorized", amount_capturable: 150_000 });
  });

  it("confirms 3-D Secure: success captures, failure fails, canceled cancels", async () => {
    const s = await setup();
    const ok = await s.create({ ...visa, payment_method_token: "pm_card_3ds" });
    expect((await s.op(ok.id, "confirm", { authentication_result: "success" })).body.result).toMatchObject({
      status: "captured",
      amount_captured: 150_000,
      next_action: null,
    });
    const bad = await s.create({ ...visa, payment_method_token: "pm_card_3ds" });
    expect((await s.op(bad.id, "confirm", { authentication_result: "failure" })).body.result).toMatchObject({
      status: "failed",
      failure: { code: "card_declined" },
    });
    const gone = await s.create({ ...visa, payment_method_token: "pm_card_3ds" });
    expect((await s.op(gone.id, "confirm", { authentication_result: "canceled" })).body.result.status).toBe(
      "canceled",
    );
    const notThreeDs = await s.create(visa);
    const refused = await s.op(notThreeDs.id, "confirm", { authentication_result: "success" });
    expect([refused.res.status, refused.body.error.code]).toEqual([409, 60]);
    const missing = await s.op(ok.id, "confirm", {});
    expect([missing.res.status, missing.body.error.code, missing.body.error.field]).toEqual([
      400,
      4,
      "params.authentication_result",
    ]);
  });

  it("cancels what is not captured; never what is", async () => {
    const s = await setup();
    const auth = await s.create({ ...visa, capture: false });
    const canceled = await s.op(auth.id, "cancel");
    expect(canceled.body.result).toMatchObject({ status: "canceled", amount_capturable: 0 });
    const captured = await s.create(visa);
    const refused = await s.op(captured.id, "cancel");
    expect([refused.res.status, refused.body.error.code]).toEqual([409, 60]);
    expect((await call("GET", `/v1/payments/${captured.id}`, { token: s.token })).body.result.status).toBe(
      "captured",
    );
    await s.drainAll();
    expect(await s.events()).toEqual(["payment.authorized", "payment.canceled", "payment.captured"]);
  });

  it("concurrent captures of one authorization capture once", async () => {
    const s = await setup();
    const payment = await s.create({ ...visa, capture: false });
    const results = await Promise.all(Array.from({ length: 10 }, () => s.op(payment.id, "capture")));
    expect(results.filter((r) => r.res.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.res.status === 409).every((r) => r.body.error.code === 60)).toBe(true);
    await s.drainAll();
    const entries = await call("GET", `/v1/ledger/entries?reference=${payment.id}`, { token: s.token });
    expect(entries.body.result.data).toHaveLength(1);
  });
});
