import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ledgerImbalance } from "../../../src/modules/ledger/storage";
import { QR_TTL_MS, REDIRECT_TTL_MS } from "../../../src/modules/payments/connector/sandbox";
import { call, tokenFor } from "../../support/http";
import { drain, paymentObject } from "../../support/objects";
import { db, provisionPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

// Asynchronous outcomes: the sandbox's simulate button (A2A redirect, QR) and expiry by alarm.

async function setup() {
  const p = await provisionPartner({ feeBps: 100 });
  const token = await tokenFor(p);
  const create = async (payment_method_token: string, capture = true) => {
    const key = crypto.randomUUID();
    const r = await call("POST", "/v1/payments", {
      token,
      json: { params: { amount: 50_000, currency: "UZS", payment_method_token, capture } },
      headers: { "Idempotency-Key": key },
    });
    const stub = paymentObject(p.id, key);
    return { payment: r.body.result, stub };
  };
  const simulate = (id: string, outcome: unknown) =>
    call("POST", `/v1/sandbox/payments/${id}/simulate`, { token, json: { params: { outcome } } });
  const get = async (id: string) => (await call("GET", `/v1/payments/${id}`, { token })).body.result;
  const entries = async (id: string) =>
    (await call("GET", `/v1/ledger/entries?reference=${id}`, { token })).body.result.data.map(
      (e: { kind: string; amount: number }) => `${e.kind}:${e.amount}`,
    );
  const events = async (id: string) =>
    (
      await env.DB.prepare("SELECT type FROM events WHERE partner_id = ? AND data LIKE ? ORDER BY id")
        .bind(p.id, `%${id}%`)
        .all()
    ).results.map((r) => r.type);
  return { p, token, create, simulate, get, entries, events };
}

securitySuite({
  method: "POST",
  path: "/v1/sandbox/payments/{id}/simulate",
  product: "payments",
  scope: "payments:write",
  json: { params: { outcome: "succeeded" } },
  createOwned: async (_owner, token) =>
    (
      await call("POST", "/v1/payments", {
        token,
        json: { params: { amount: 100, currency: "UZS", payment_method_token: "pm_bank_redirect" } },
      })
    ).body.result.id,
});

afterEach(() => {
  vi.useRealTimers();
});

describe("POST /v1/sandbox/payments/{id}/simulate", () => {
  it("an A2A redirect succeeds: captured, posted once, announced", async () => {
    const s = await setup();
    const { payment, stub } = await s.create("pm_bank_redirect");
    expect(payment).toMatchObject({ status: "pending", next_action: { type: "redirect" } });
    const done = await s.simulate(payment.id, "succeeded");
    expect(done.res.status).toBe(200);
    expect(done.body.result).toMatchObject({
      status: "captured",
      amount_captured: 50_000,
      next_action: null,
      failure: null,
    });
    await drain(stub);
    expect(await s.get(payment.id)).toEqual(done.body.result);
    expect(await s.entries(payment.id)).toEqual(["capture:50000"]);
    expect(await s.events(payment.id)).toEqual(["payment.pending", "payment.captured"]);
    for (const row of await ledgerImbalance(db)) expect(Number(row.imbalance)).toBe(0);
  });

  it("without capture it authorizes, and the capture posts later", async () => {
    const s = await setup();
    const { payment, stub } = await s.create("pm_qr", false);
    const done = await s.simulate(payment.id, "succeeded");
    expect(done.body.result).toMatchObject({ status: "authorized", amount_capturable: 50_000 });
    await drain(stub);
    expect(await s.entries(payment.id)).toEqual([]);
  });

  it("a QR payment fails: failed with its reason, nothing posted", async () => {
    const s = await setup();
    const { payment, stub } = await s.create("pm_qr");
    const done = await s.simulate(payment.id, "failed");
    expect(done.body.result).toMatchObject({
      status: "failed",
      next_action: null,
      failure: { code: "card_declined", reason: "do_not_honor", retryable: false },
    });
    await drain(stub);
    expect(await s.entries(payment.id)).toEqual([]);
    expect(await s.events(payment.id)).toEqual(["payment.pending", "payment.failed"]);
  });

  it("only a pending payment: anything else is 409 (code 60) and changes nothing", async () => {
    const s = await setup();
    const { payment } = await s.create("pm_card_visa");
    const refused = await s.simulate(payment.id, "failed");
    expect(refused.res.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 60 });
    expect(refused.body.error.message).toBe("Cannot simulate a payment whose status is captured");
    expect(await s.get(payment.id)).toEqual(payment);

    const pending = (await s.create("pm_bank_redirect")).payment;
    await s.simulate(pending.id, "succeeded");
    expect((await s.simulate(pending.id, "succeeded")).body.error.code).toBe(60);
  });

  it("bad input: unknown outcome, missing params, foreign or unknown id", async () => {
    const s = await setup();
    const { payment } = await s.create("pm_bank_redirect");
    expect((await s.simulate(payment.id, "maybe")).body.error).toMatchObject({
      code: 4,
      field: "params.outcome",
    });
    expect((await s.simulate(payment.id, 1)).body.error).toMatchObject({ code: 3, field: "params.outcome" });
    const empty = await call("POST", `/v1/sandbox/payments/${payment.id}/simulate`, {
      token: s.token,
      json: {},
    });
    expect(empty.body.error).toMatchObject({ code: 4, field: "params" });
    expect((await s.simulate(crypto.randomUUID(), "succeeded")).body.error.code).toBe(30);
    const other = await setup();
    expect((await other.simulate(payment.id, "succeeded")).body.error.code).toBe(30);
    expect((await s.get(payment.id)).status).toBe("pending");
  });
});

describe("expiry by Durable Object alarm", () => {
  it("a QR code expires after its TTL, not before, and posts nothing", async () => {
    const s = await setup();
    const { payment, stub } = await s.create("pm_qr");
    const expiresAt = Date.parse(payment.next_action.expires_at);
    expect(expiresAt - Date.parse(payment.created_at)).toBe(QR_TTL_MS);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(expiresAt - 1_000);
    await runDurableObjectAlarm(stub);
    expect((await s.get(payment.id)).status).toBe("pending");

    vi.setSystemTime(expiresAt + 1_000);
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(stub);
    vi.useRealTimers();

    const expired = await s.get(payment.id);
    expect(expired).toMatchObject({ status: "expired", next_action: null });
    expect(await s.events(payment.id)).toEqual(["payment.pending", "payment.expired"]);
    expect(await s.entries(payment.id)).toEqual([]);
    // Nothing moves an expired payment.
    expect((await s.simulate(payment.id, "succeeded")).body.error.code).toBe(60);
    const listed = await call("GET", "/v1/payments?status=expired", { token: s.token });
    expect(listed.body.result.data.map((p: { id: string }) => p.id)).toEqual([payment.id]);
  });

  it("an unanswered 3-D Secure redirect expires; a confirmed one never does", async () => {
    const s = await setup();
    const waiting = await s.create("pm_card_3ds");
    const answered = await s.create("pm_card_3ds");
    await call("POST", `/v1/payments/${answered.payment.id}/confirm`, {
      token: s.token,
      json: { params: { authentication_result: "success" } },
    });
    const expiresAt = Date.parse(waiting.payment.next_action.expires_at);
    expect(expiresAt - Date.parse(waiting.payment.created_at)).toBe(REDIRECT_TTL_MS);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(expiresAt + 1_000);
    for (const { stub } of [waiting, answered]) for (let i = 0; i < 3; i++) await runDurableObjectAlarm(stub);
    vi.useRealTimers();

    expect((await s.get(waiting.payment.id)).status).toBe("expired");
    expect((await s.get(answered.payment.id)).status).toBe("captured");
    const confirm = await call("POST", `/v1/payments/${waiting.payment.id}/confirm`, {
      token: s.token,
      json: { params: { authentication_result: "success" } },
    });
    expect(confirm.body.error).toMatchObject({ code: 60 });
    expect(confirm.body.error.message).toBe("Cannot confirm a payment whose status is expired");
  });
});
