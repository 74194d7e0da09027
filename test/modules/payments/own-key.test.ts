import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, tokenFor } from "../../support/http";
import { idempotencyObject, keyHolder, paymentObject, payoutObject } from "../../support/objects";
import { fund, provisionPartner } from "../../support/partners";

// A create's object keeps the Idempotency-Key of its own create: POST /v1/payments and
// POST /v1/payouts touch one Durable Object each, not a key object too. Other writes keep
// theirs in the generic key object.

const VISA = { amount: 150_000, currency: "UZS", payment_method_token: "pm_card_visa", capture: true };
const PAYOUT = { amount: 10_000, currency: "UZS", destination_token: "dest_tok_ok" };

afterEach(() => {
  vi.useRealTimers();
});

/** The key record an object keeps, under the name its storage gives it. */
const recordIn = (stub: DurableObjectStub, name: string) =>
  runInDurableObject(stub, (_instance, state) => state.storage.kv.get<{ state: string }>(name));

/** The names of everything an object has stored. */
const keysIn = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_instance, state) => [...state.storage.kv.list()].map(([k]) => k));

async function partner() {
  const p = await provisionPartner();
  let token = await tokenFor(p);
  const post = (path: string, params: unknown, key: string) =>
    call("POST", path, { token, json: { params }, headers: { "Idempotency-Key": key } });
  /** A fresh token, after the clock moved past the last one's hour. */
  const refresh = async () => {
    token = await tokenFor(p);
  };
  return { p, post, refresh };
}

describe("a create keeps its own Idempotency-Key", () => {
  it("a payment's key lives in the payment's object; the generic key object is never made", async () => {
    const s = await partner();
    const key = crypto.randomUUID();
    const created = await s.post("/v1/payments", VISA, key);
    expect(created.res.status).toBe(200);
    expect(await recordIn(paymentObject(s.p.id, key), "idempotency_record")).toMatchObject({ state: "done" });
    expect(await keysIn(idempotencyObject(s.p.id, key))).toEqual([]);
    expect(keyHolder("/v1/payments", s.p.id, key)).toBeDefined();

    const replay = await s.post("/v1/payments", VISA, key);
    expect(replay.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.body.result.id).toBe(created.body.result.id);
    const mismatch = await s.post("/v1/payments", { ...VISA, amount: 1 }, key);
    expect([mismatch.res.status, mismatch.body.error.code]).toEqual([422, 51]);
  });

  it("a payout's key lives in the payout's object", async () => {
    const s = await partner();
    await fund(s.p.id, 1_000_000);
    const key = crypto.randomUUID();
    const created = await s.post("/v1/payouts", PAYOUT, key);
    expect(created.res.status).toBe(200);
    expect(await recordIn(payoutObject(s.p.id, key), "idempotency_record")).toMatchObject({ state: "done" });
    expect(await keysIn(idempotencyObject(s.p.id, key))).toEqual([]);
  });

  it("a refusal before execution frees the key in the payment's object, and stores no payment", async () => {
    const s = await partner();
    const key = crypto.randomUUID();
    const refused = await s.post("/v1/payments", { ...VISA, payment_method_token: "pm_unknown" }, key);
    expect([refused.res.status, refused.body.error.code]).toEqual([400, 4]);
    expect(await keysIn(paymentObject(s.p.id, key))).not.toContain("idempotency_record");
    expect(await keysIn(paymentObject(s.p.id, key))).not.toContain("payment");
    const fixed = await s.post("/v1/payments", VISA, key);
    expect(fixed.res.status).toBe(200);
    expect(fixed.res.headers.get("Idempotent-Replayed")).toBeNull();
  });

  it("forgets the key's record after 48 h: the key then answers the payment it created", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.parse("2026-11-22T12:00:00.000Z");
    vi.setSystemTime(start);
    const s = await partner();
    const key = crypto.randomUUID();
    const created = await s.post("/v1/payments", VISA, key);
    vi.setSystemTime(start + 47 * 3600 * 1000);
    await s.refresh();
    const within = await s.post("/v1/payments", { ...VISA, amount: 1 }, key);
    expect(within.res.status).toBe(422);
    vi.setSystemTime(start + 48 * 3600 * 1000 + 1);
    await s.refresh();
    const after = await s.post("/v1/payments", { ...VISA, amount: 1 }, key);
    expect(after.res.status).toBe(200);
    expect(after.res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(after.body.result).toMatchObject({ id: created.body.result.id, amount: VISA.amount });
  });

  it("other writes keep their key in the generic key object", async () => {
    const s = await partner();
    const key = crypto.randomUUID();
    const created = await s.post("/v1/partner/credentials", { description: "k" }, key);
    expect(created.res.status).toBe(201);
    expect(await recordIn(idempotencyObject(s.p.id, key), "record")).toMatchObject({ state: "done" });
    expect(env.ENVIRONMENT).toBe("sandbox");
  });
});
