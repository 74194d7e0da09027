import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import { ledgerImbalance } from "../../../src/modules/ledger/storage";
import type { Env } from "../../../src/platform/env";
import { call, fetchWithEnv, tokenFor } from "../../support/http";
import { drain, payoutObject } from "../../support/objects";
import { db, fund, provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

const ok = { amount: 30_000, currency: "UZS", destination_token: "dest_tok_ok" };

async function setup(balance = 100_000) {
  const p = await provisionPartner();
  const token = await tokenFor(p);
  if (balance > 0) await fund(p.id, balance);
  const create = (params: Record<string, unknown> = ok, key: string = crypto.randomUUID()) =>
    call("POST", "/v1/payouts", { token, json: { params }, headers: { "Idempotency-Key": key } });
  const balanceOf = async () => {
    const r = (await call("GET", "/v1/balance", { token })).body.result;
    const uzs = (list: { currency: string; amount: number }[]) =>
      list.find((b) => b.currency === "UZS")?.amount ?? 0;
    return { available: uzs(r.available), reserved: uzs(r.reserved) };
  };
  const simulate = (id: string, params?: Record<string, unknown>) =>
    call("POST", `/v1/sandbox/payouts/${id}/simulate`, { token, ...(params ? { json: { params } } : {}) });
  /** Runs the payout object's alarm until its outbox is drained and nothing is due. */
  const settle = (key: string) => drain(payoutObject(p.id, key));
  const entriesOf = async (reference: string) =>
    (await call("GET", `/v1/ledger/entries?reference=${reference}`, { token })).body.result.data
      .map((e: { kind: string }) => e.kind)
      .sort();
  const eventsOf = async (id: string) =>
    (
      await env.DB.prepare("SELECT type FROM events WHERE partner_id = ? AND data LIKE ? ORDER BY id")
        .bind(p.id, `%${id}%`)
        .all()
    ).results.map((r) => r.type);
  return { p, token, create, balanceOf, simulate, settle, entriesOf, eventsOf };
}

async function expectLedgerBalanced() {
  for (const row of await ledgerImbalance(db)) expect(Number(row.imbalance)).toBe(0);
}

const ownedPayout = async (owner: TestPartner, token: string) => {
  await fund(owner.id, 1_000);
  return (await call("POST", "/v1/payouts", { token, json: { params: { ...ok, amount: 100 } } })).body.result
    .id;
};

securitySuite({
  method: "POST",
  path: "/v1/payouts",
  product: "payouts",
  scope: "payouts:write",
  json: { params: { ...ok, amount: 100 } },
  prepare: (p) => fund(p.id, 1_000),
});
securitySuite({
  method: "GET",
  path: "/v1/payouts/{id}",
  product: "payouts",
  scope: "payouts:read",
  createOwned: ownedPayout,
});
securitySuite({
  method: "POST",
  path: "/v1/sandbox/payouts/{id}/simulate",
  product: "payouts",
  scope: "payouts:write",
  createOwned: ownedPayout,
});

afterEach(() => {
  vi.useRealTimers();
});

describe("POST /v1/payouts", () => {
  it("holds the amount, is sent and paid; the ledger and the events follow", async () => {
    const s = await setup();
    const key = crypto.randomUUID();
    const created = await s.create({ ...ok, metadata: { batch: "7" } }, key);
    expect(created.res.status).toBe(200);
    const payout = created.body.result;
    expect(payout).toMatchObject({
      object: "payout",
      amount: 30_000,
      currency: "UZS",
      status: "queued",
      destination: { type: "bank_account", last4: "6789" },
      failure: null,
      provider: "sandbox",
      metadata: { batch: "7" },
      livemode: false,
    });
    // Held at once: no other payout can spend it.
    expect(await s.balanceOf()).toEqual({ available: 70_000, reserved: 30_000 });

    const paid = await s.simulate(payout.id, { outcome: "paid" });
    expect(paid.res.status).toBe(200);
    expect(paid.body.result).toMatchObject({ id: payout.id, status: "paid" });
    expect(paid.body.result.provider_reference).toMatch(/^sbx_po_/);
    await s.settle(key);

    const got = await call("GET", `/v1/payouts/${payout.id}`, { token: s.token });
    expect(got.body.result).toEqual(paid.body.result);
    expect(await s.balanceOf()).toEqual({ available: 70_000, reserved: 0 });
    expect(await s.entriesOf(payout.id)).toEqual(["payout_hold", "payout_paid"]);
    expect(await s.eventsOf(payout.id)).toEqual(["payout.queued", "payout.sent", "payout.paid"]);
    await expectLedgerBalanced();
  });

  it("a failed payout returns its funds", async () => {
    const s = await setup();
    const key = crypto.randomUUID();
    const payout = (await s.create({ ...ok, destination_token: "dest_tok_fail" }, key)).body.result;
    expect(payout.destination.last4).toBe("0002");
    expect(await s.balanceOf()).toEqual({ available: 70_000, reserved: 30_000 });

    // No outcome given: the destination's own (dest_tok_fail fails).
    const failed = await s.simulate(payout.id);
    expect(failed.body.result).toMatchObject({
      status: "failed",
      failure: { code: "payout_failed", reason: "account_closed" },
    });
    await s.settle(key);
    expect(await s.balanceOf()).toEqual({ available: 100_000, reserved: 0 });
    expect(await s.entriesOf(payout.id)).toEqual(["payout_failed", "payout_hold"]);
    expect(await s.eventsOf(payout.id)).toEqual(["payout.queued", "payout.sent", "payout.failed"]);
    await expectLedgerBalanced();
  });

  it("the sandbox rails answer by themselves once their delay has passed", async () => {
    const s = await setup();
    const key = crypto.randomUUID();
    const payout = (await s.create(ok, key)).body.result;
    const stub = payoutObject(s.p.id, key);
    await runDurableObjectAlarm(stub);
    expect((await stub.get())?.status).toBe("sent");

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 60_000);
    for (let i = 0; i < 5 && (await stub.get())?.status !== "paid"; i++) await runDurableObjectAlarm(stub);
    await s.settle(key);
    vi.useRealTimers();

    expect((await call("GET", `/v1/payouts/${payout.id}`, { token: s.token })).body.result.status).toBe(
      "paid",
    );
    expect(await s.balanceOf()).toEqual({ available: 70_000, reserved: 0 });
    expect(await s.eventsOf(payout.id)).toEqual(["payout.queued", "payout.sent", "payout.paid"]);
  });

  it("never beyond the available balance: 409, code 62, and nothing is held", async () => {
    const s = await setup(10_000);
    const key = crypto.randomUUID();
    const refused = await s.create({ ...ok, amount: 10_001 }, key);
    expect(refused.res.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 62,
      reason: "insufficient_balance",
      field: "params.amount",
    });
    expect(refused.body.error.message).toBe("The amount 10001 exceeds the available balance in UZS: 10000");
    expect(await s.balanceOf()).toEqual({ available: 10_000, reserved: 0 });
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM payouts WHERE partner_id = ?")
      .bind(s.p.id)
      .first();
    expect(rows?.n).toBe(0);

    // The refusal is the answer for that key; a new key after topping up goes through.
    const replay = await s.create({ ...ok, amount: 10_001 }, key);
    expect(replay.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.body.error.code).toBe(62);
    await fund(s.p.id, 1);
    expect((await s.create({ ...ok, amount: 10_001 })).res.status).toBe(200);
    expect(await s.balanceOf()).toEqual({ available: 0, reserved: 10_001 });
    // Another currency has no balance at all.
    const usd = await s.create({ ...ok, currency: "USD", amount: 1 });
    expect(usd.body.error).toMatchObject({ code: 62 });
  });

  it("concurrent payouts never overdraw: exactly what the balance covers goes through", async () => {
    const s = await setup(50_000);
    const results = await Promise.all(Array.from({ length: 20 }, () => s.create({ ...ok, amount: 5_000 })));
    const statuses = results.map((r) => r.res.status);
    expect(statuses.filter((st) => st === 200)).toHaveLength(10);
    expect(statuses.filter((st) => st === 409)).toHaveLength(10);
    for (const r of results.filter((x) => x.res.status === 409)) expect(r.body.error.code).toBe(62);
    expect(await s.balanceOf()).toEqual({ available: 0, reserved: 50_000 });
    await expectLedgerBalanced();
  });

  it("50 concurrent identical requests under one key make one payout and one hold", async () => {
    const s = await setup();
    const key = crypto.randomUUID();
    const results = await Promise.all(Array.from({ length: 50 }, () => s.create(ok, key)));
    const ids = new Set(results.filter((r) => r.res.status === 200).map((r) => r.body.result.id));
    expect(ids.size).toBe(1);
    for (const r of results) expect([200, 409]).toContain(r.res.status);
    for (const r of results.filter((x) => x.res.status === 409)) expect(r.body.error.code).toBe(52);
    expect(await s.balanceOf()).toEqual({ available: 70_000, reserved: 30_000 });
    expect(await s.entriesOf([...ids][0])).toEqual(["payout_hold"]);
  });

  it("bad input answers with the envelope and its code, and holds nothing", async () => {
    const s = await setup();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...ok, amount: "100" }, 3, "params.amount"],
      [{ ...ok, amount: 0 }, 4, "params.amount"],
      [{ ...ok, amount: -5 }, 4, "params.amount"],
      [{ ...ok, amount: 1.5 }, 3, "params.amount"],
      [{ ...ok, amount: 2 ** 60 }, 4, "params.amount"],
      [{ ...ok, currency: "XXX" }, 4, "params.currency"],
      [{ amount: 100, currency: "UZS" }, 4, "params.destination_token"],
      [{ ...ok, destination_token: "dest_tok_nope" }, 4, "params.destination_token"],
      [{ ...ok, destination_token: 7 }, 3, "params.destination_token"],
      [{ ...ok, metadata: { k: 1 } }, 3, "params.metadata.k"],
    ];
    for (const [params, code, field] of cases) {
      const r = await s.create(params);
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect(r.body.error, JSON.stringify(params)).toMatchObject({ code, field });
    }
    const malformed = await call("POST", "/v1/payouts", {
      token: s.token,
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(malformed.body.error.code).toBe(2);
    const wrongMethod = await call("PUT", "/v1/payouts", { token: s.token, json: { params: ok } });
    expect(wrongMethod.res.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe(5);
    const unknown = await call("GET", `/v1/payouts/${crypto.randomUUID()}`, { token: s.token });
    expect(unknown.body.error.code).toBe(30);
    const notUuid = await call("GET", "/v1/payouts/po_123", { token: s.token });
    expect(notUuid.res.status).toBe(400);
    expect(await s.balanceOf()).toEqual({ available: 100_000, reserved: 0 });
  });
});

describe("POST /v1/sandbox/payouts/{id}/simulate", () => {
  it("settles once: a paid or failed payout is 409 (code 60) and changes nothing", async () => {
    const s = await setup();
    const key = crypto.randomUUID();
    const payout = (await s.create(ok, key)).body.result;
    expect((await s.simulate(payout.id, { outcome: "failed" })).body.result).toMatchObject({
      status: "failed",
      failure: { reason: "bank_unavailable" },
    });
    const again = await s.simulate(payout.id, { outcome: "paid" });
    expect(again.res.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 60 });
    expect(again.body.error.message).toBe("Cannot simulate a payout whose status is failed");
    const bad = await s.simulate(payout.id, { outcome: "lost" });
    expect(bad.body.error).toMatchObject({ code: 4, field: "params.outcome" });
    await s.settle(key);
    expect(await s.balanceOf()).toEqual({ available: 100_000, reserved: 0 });
    await expectLedgerBalanced();
  });

  it("does not exist in production", async () => {
    const production: Partial<Env> = { ENVIRONMENT: "production", WEBHOOK_ALLOW_LOOPBACK: "false" };
    for (const path of [
      `/v1/sandbox/payouts/${crypto.randomUUID()}/simulate`,
      `/v1/sandbox/payments/${crypto.randomUUID()}/simulate`,
    ]) {
      const r = await fetchWithEnv(createApp(), production, path, { method: "POST" });
      expect(r.res.status).toBe(404);
      expect(r.body.error.code).toBe(31);
    }
  });
});
