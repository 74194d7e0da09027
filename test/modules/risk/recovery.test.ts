import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PaymentObject } from "../../../durable-objects/payment";
import type { CreatePaymentInput } from "../../../src/modules/payments/model";
import { LOCK_MS } from "../../../src/platform/middleware/idempotency";
import { call } from "../../support/http";
import { paymentObject } from "../../support/objects";
import { riskPartner, visa } from "./support";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => {
  vi.useRealTimers();
});

describe("risk and crash recovery", () => {
  it("a create that dies after its assessment reuses the persisted decision and counts velocity once", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const s = await riskPartner();
    await s.rule({
      name: "hold a card's first payment",
      conditions: [
        { field: "velocity", subject: "card", measure: "count", window_minutes: 60, op: "gte", value: 1 },
      ],
      action: "hold",
    });
    const key = crypto.randomUUID();
    // The object hangs where it would commit, as if its process died there: the assessment is done.
    let stuck = false;
    let holding = true;
    await runInDurableObject(paymentObject(s.p.id, key), (instance: PaymentObject) => {
      (instance as unknown as Record<string, unknown>).commit = async () => {
        stuck = true;
        while (holding) await sleep(5);
        throw new Error("released after the abort");
      };
    });
    const send = () =>
      call("POST", "/v1/payments", {
        token: s.token,
        json: { params: visa },
        headers: { "Idempotency-Key": key },
      });
    const first = send().catch(() => undefined);
    for (let waited = 0; !stuck && waited < 10_000; waited += 5) await sleep(5);
    expect(stuck).toBe(true);

    const persisted = await runInDurableObject(paymentObject(s.p.id, key), (_i: PaymentObject, state) =>
      state.storage.kv.get<CreatePaymentInput>("creating"),
    );
    expect(persisted?.risk).toMatchObject({ decision: "hold", review: { status: "open" } });
    await abortAllDurableObjects();
    holding = false;
    expect((await first)?.res.status ?? 500).toBeGreaterThanOrEqual(500);

    vi.setSystemTime(Date.now() + LOCK_MS + 1);
    let retried = await send();
    for (let i = 0; i < 5 && retried.res.status !== 200; i++) retried = await send();
    expect(retried.res.status).toBe(200);
    expect(retried.body.result).toMatchObject({
      id: persisted?.paymentId,
      status: "authorized",
      risk: { decision: "hold", review: { id: persisted?.risk?.review?.id, status: "open" } },
    });
    expect(await s.velocity().recorded("card", "fp_card_visa")).toBe(1);
    const queue = await call("GET", "/v1/reviews?status=open", { token: s.token });
    expect(queue.body.result.data.map((r: { id: string }) => r.id)).toEqual([persisted?.risk?.review?.id]);
  });
});
