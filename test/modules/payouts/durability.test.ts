import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { PayoutObject } from "../../../durable-objects/payout";
import { postEntry } from "../../../src/modules/ledger/ledger";
import type { CreatePayoutInput } from "../../../src/modules/payouts/model";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { call, tokenFor } from "../../support/http";
import { payoutName, payoutObject } from "../../support/objects";
import { db, fund, provisionPartner } from "../../support/partners";

// A payout's hold is posted to D1 before the payout is committed in its object. A crash in
// between must neither lose the held money nor hold it twice.

async function fundedPartner(amount: number) {
  const p = await provisionPartner();
  await fund(p.id, amount);
  return { p, token: await tokenFor(p) };
}

/** What the object had persisted when it died: the attempt, and the hold already in D1. */
async function crashedAfterHold(partnerId: string, key: string, amount: number) {
  const objectName = payoutName(partnerId, key);
  const stub = payoutObject(partnerId, key);
  const attempt: CreatePayoutInput = {
    payoutId: uuidv7(),
    partnerId,
    livemode: false,
    amount,
    currency: "UZS",
    destinationToken: "dest_tok_ok",
    metadata: {},
    now: new Date().toISOString(),
  };
  await runInDurableObject(stub, async (_o: PayoutObject, state) => {
    state.storage.kv.put("creating", attempt);
    state.storage.kv.put("object_name", objectName);
    await state.storage.setAlarm(Date.now() + 30_000);
  });
  await postEntry(db, {
    reference: attempt.payoutId,
    kind: "payout_hold",
    currency: "UZS",
    partnerId,
    lines: [
      { owner: partnerId, code: "partner_available", direction: "debit", amount },
      { owner: partnerId, code: "partner_reserved", direction: "credit", amount },
    ],
  });
  return { stub, attempt };
}

const holds = async (payoutId: string) =>
  (
    await env.DB.prepare(
      "SELECT count(*) AS n FROM journal_entries WHERE reference = ? AND kind = 'payout_hold'",
    )
      .bind(payoutId)
      .first<{ n: number }>()
  )?.n;

describe("payout durability", () => {
  it("nobody retries: the alarm finishes the payout under the held money's id", async () => {
    const { p, token } = await fundedPartner(10_000);
    const key = crypto.randomUUID();
    const { stub, attempt } = await crashedAfterHold(p.id, key, 4_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const payout = await stub.get();
    expect(payout).toMatchObject({ id: attempt.payoutId, amount: 4_000 });
    expect(["queued", "sent", "paid"]).toContain(payout?.status);
    expect(await holds(attempt.payoutId)).toBe(1);
    const got = await call("GET", `/v1/payouts/${attempt.payoutId}`, { token });
    expect(got.body.result.id).toBe(attempt.payoutId);
  });

  it("the partner retries with the same key: the same payout, held once", async () => {
    const { p, token } = await fundedPartner(10_000);
    const key = crypto.randomUUID();
    const { attempt } = await crashedAfterHold(p.id, key, 4_000);
    const retried = await call("POST", "/v1/payouts", {
      token,
      json: { params: { amount: 4_000, currency: "UZS", destination_token: "dest_tok_ok" } },
      headers: { "Idempotency-Key": key },
    });
    expect(retried.res.status).toBe(200);
    expect(retried.body.result.id).toBe(attempt.payoutId);
    expect(await holds(attempt.payoutId)).toBe(1);
    const balance = (await call("GET", "/v1/balance", { token })).body.result;
    expect(balance.available).toEqual([{ currency: "UZS", amount: 6_000 }]);
  });

  it("the balance went meanwhile: a hold already posted still counts, and nothing is held twice", async () => {
    const { p, token } = await fundedPartner(4_000);
    const key = crypto.randomUUID();
    const { stub, attempt } = await crashedAfterHold(p.id, key, 4_000);
    // Available is 0 now; the recovery must find its own hold, not refuse for lack of funds.
    await runDurableObjectAlarm(stub);
    expect((await stub.get())?.id).toBe(attempt.payoutId);
    expect(await holds(attempt.payoutId)).toBe(1);
    const balance = (await call("GET", "/v1/balance", { token })).body.result;
    expect(balance.available).toEqual([{ currency: "UZS", amount: 0 }]);
  });
});
