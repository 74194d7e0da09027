import {
  abortAllDurableObjects,
  evictDurableObject,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PaymentObject } from "../../../durable-objects/payment";
import { ledgerImbalance } from "../../../src/modules/ledger/storage";
import { sandboxMethodOf } from "../../../src/modules/payments/connector/sandbox";
import type { CreatePaymentInput, Payment, Refund } from "../../../src/modules/payments/model";
import type { Env } from "../../../src/platform/env";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { fingerprint, LOCK_MS } from "../../../src/platform/middleware/idempotency";
import { type Call, call, tokenFor } from "../../support/http";
import { drain as drainObject, keyHolder, paymentName, paymentObject } from "../../support/objects";
import { db, provisionPartner, type TestPartner } from "../../support/partners";

/*
 * A Durable Object evicted or aborted mid-operation never loses an acknowledged payment and
 * never executes twice on retry.
 *
 * Crashes are real: `abortAllDurableObjects()` kills every object where it stands (in-memory
 * state and in-flight calls are lost, storage keeps what was committed), `evictDurableObject()`
 * tears one down gracefully. To crash at an exact point, a test makes one method of the live
 * object hang there (a `CrashPoint`) and aborts while it hangs.
 *
 * The clock is a fake `Date` one day ahead of the real one (the objects share this isolate's
 * `Date`): the outbox alarm the payment object schedules "now" is then a day away for workerd,
 * so it never drains on its own and each test decides when the drain runs. Advancing the fake
 * clock past the 30 s idempotency lock is how a retry takes over from a holder that died.
 */

const visa = { amount: 100_000, currency: "UZS", payment_method_token: "pm_card_visa" };
const FEE_BPS = 100; // 1 %: a 100 000 capture credits the partner 99 000

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const rows = async (sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all()
  ).results;

/** What the payment object has in storage (read inside it, so it also works while it hangs). */
const stored = (partnerId: string, key: string) =>
  runInDurableObject(paymentObject(partnerId, key), (_instance: PaymentObject, state) => ({
    creating: state.storage.kv.get<CreatePaymentInput>("creating"),
    payment: state.storage.kv.get<Payment>("payment"),
    refunds: [...state.storage.kv.list<Refund>({ prefix: "refund:" })].map(([, refund]) => refund),
    outbox: [...state.storage.kv.list({ prefix: "outbox:" })].length,
  }));

/**
 * A point in a Durable Object's code where it stops, as if its process died there: `hang`
 * never returns, `reached` resolves once the object is stuck in it, `abort` then kills every
 * object (the stuck call fails; what storage had committed stays).
 */
class CrashPoint {
  /** Every crash point still holding an object, released after each test even if it failed. */
  static readonly live = new Set<CrashPoint>();
  private stuck = false;
  private holding = true;

  constructor() {
    CrashPoint.live.add(this);
  }

  release() {
    this.holding = false;
    CrashPoint.live.delete(this);
  }

  readonly hang = async (): Promise<never> => {
    this.stuck = true;
    while (this.holding) await sleep(5);
    throw new Error("crash point released after the abort");
  };

  async reached() {
    for (let waited = 0; !this.stuck; waited += 5) {
      if (waited > 10_000) throw new Error("the crash point was never reached");
      await sleep(5);
    }
  }

  async abort() {
    await abortAllDurableObjects();
    this.release();
  }
}

/** Makes the live payment object hang (see CrashPoint) when it next calls one of its own methods. */
async function crashAt(partnerId: string, key: string, method: "commit" | "index"): Promise<CrashPoint> {
  const crash = new CrashPoint();
  await runInDurableObject(paymentObject(partnerId, key), (instance: PaymentObject) => {
    (instance as unknown as Record<string, unknown>)[method] = crash.hang;
  });
  return crash;
}

/**
 * A client retrying one request with its Idempotency-Key until it gets an answer: a failed
 * connection or a 5xx is retried; 409 "still in flight" (code 52) is retried once the lock of
 * the holder that died has expired. Any other answer is the request's outcome.
 */
async function settle(send: () => Promise<Call>): Promise<Call> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const answer = await send().catch(() => undefined);
    if (answer?.res.status === 409 && answer.body?.error?.code === 52) {
      vi.setSystemTime(Date.now() + LOCK_MS + 1);
      continue;
    }
    if (answer === undefined || answer.res.status >= 500) continue;
    return answer;
  }
  throw new Error("the request never settled");
}

async function setup() {
  const p = await provisionPartner({ feeBps: FEE_BPS });
  const token = await tokenFor(p);
  const create = (key: string, params: Record<string, unknown> = visa) =>
    call("POST", "/v1/payments", { token, json: { params }, headers: { "Idempotency-Key": key } });
  const op = (id: string, name: "capture" | "refunds", key: string, params?: Record<string, unknown>) =>
    call("POST", `/v1/payments/${id}/${name}`, {
      token,
      ...(params ? { json: { params } } : {}),
      headers: { "Idempotency-Key": key },
    });
  const get = (id: string) => call("GET", `/v1/payments/${id}`, { token });
  /** Runs the payment object's outbox drain now and checks it emptied the outbox. */
  const drain = (key: string) => drainObject(paymentObject(p.id, key));
  // Sorted by content, not by id: under the frozen clock, ids minted in one millisecond do not sort by time.
  const entries = async () =>
    (
      await rows(
        "SELECT reference, kind, amount FROM journal_entries WHERE partner_id = ? ORDER BY kind, reference",
        p.id,
      )
    ).map((r) => ({ reference: r.reference, kind: r.kind, amount: r.amount }));
  const events = async () =>
    (await rows("SELECT type FROM events WHERE partner_id = ? ORDER BY type", p.id)).map((r) => r.type);
  const payments = async () => (await rows("SELECT id FROM payments WHERE partner_id = ?", p.id)).length;
  const available = async () => (await call("GET", "/v1/balance", { token })).body.result.available;
  return { p, token, create, op, get, drain, entries, events, payments, available };
}

async function expectLedgerBalanced() {
  for (const row of await ledgerImbalance(db)) expect(Number(row.imbalance)).toBe(0);
}

const crashes = {
  "every object aborted": async (_p: TestPartner, _key: string) => abortAllDurableObjects(),
  "the payment object evicted": async (p: TestPartner, key: string) =>
    evictDurableObject(paymentObject(p.id, key)),
};

beforeEach(() => {
  const aDayAhead = Date.now() + 24 * 3600 * 1000;
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(aDayAhead);
});

afterEach(() => {
  for (const crash of CrashPoint.live) crash.release();
  vi.useRealTimers();
});

describe("payment durability: Durable Objects aborted or evicted mid-operation", () => {
  it.each(Object.keys(crashes) as (keyof typeof crashes)[])(
    "an acknowledged payment survives %s before its outbox drained, and posts once",
    async (crashKind) => {
      const s = await setup();
      const key = crypto.randomUUID();
      const created = await s.create(key);
      expect(created.res.status).toBe(200);
      expect(created.body.result).toMatchObject({ status: "captured", amount_captured: 100_000 });
      const id: string = created.body.result.id;
      // Acknowledged, its capture posting and event still waiting in the outbox.
      expect((await stored(s.p.id, key)).outbox).toBe(2);

      await crashes[crashKind](s.p, key);

      const got = await s.get(id);
      expect(got.res.status).toBe(200);
      expect(got.body.result).toEqual(created.body.result);
      expect((await stored(s.p.id, key)).outbox).toBe(2);
      await s.drain(key);

      const retry = await s.create(key);
      expect(retry.res.status).toBe(200);
      expect(retry.res.headers.get("Idempotent-Replayed")).toBe("true");
      expect(retry.body.result).toEqual(created.body.result);
      expect(await runDurableObjectAlarm(paymentObject(s.p.id, key))).toBe(false); // nothing new to drain

      expect(await s.payments()).toBe(1);
      expect(await s.entries()).toEqual([{ reference: id, kind: "capture", amount: 100_000 }]);
      expect(await s.events()).toEqual(["payment.captured"]);
      expect(await s.available()).toEqual([{ currency: "UZS", amount: 99_000 }]);
      await expectLedgerBalanced();
    },
  );

  it.each([
    ["by the retry", false],
    ["by its recovery alarm, before the retry", true],
  ] as const)(
    "a create that died after persisting its attempt is finished %s into that payment, once",
    async (_by, alarmFirst) => {
      const s = await setup();
      const key = crypto.randomUUID();
      // A first request took the idempotency lock, reached the payment object and persisted its
      // attempt there as `authorize` does before calling the provider, then everything died.
      const lock = keyHolder("/v1/payments", s.p.id, key);
      const begun = await lock.begin(
        await fingerprint("POST", "/v1/payments", JSON.stringify({ params: visa }), env.WEBHOOK_SECRETS_KEY),
        LOCK_MS,
      );
      expect(begun.outcome).toBe("execute");
      const attempt: CreatePaymentInput = {
        paymentId: uuidv7(),
        partnerId: s.p.id,
        livemode: false,
        feeBps: FEE_BPS,
        amount: visa.amount,
        currency: "UZS",
        paymentMethodToken: visa.payment_method_token,
        capture: true,
        metadata: {},
        signals: {
          method: "card",
          card: sandboxMethodOf(visa.payment_method_token)?.card ?? null,
          customer: null,
          client: { ip: null, country: null, asn: null },
        },
        now: new Date().toISOString(),
      };
      const objectName = paymentName(s.p.id, key);
      await runInDurableObject(paymentObject(s.p.id, key), async (_instance: PaymentObject, state) => {
        state.storage.kv.put("creating", attempt);
        state.storage.kv.put("object_name", objectName);
        await state.storage.setAlarm(Date.now() + 30_000); // its recovery alarm
      });
      await abortAllDurableObjects();

      expect((await s.get(attempt.paymentId)).res.status).toBe(404); // never committed, never acknowledged
      const during = await s.create(key);
      expect([during.res.status, during.body.error?.code]).toEqual([409, 52]); // the holder may still run

      if (alarmFirst) {
        expect(await runDurableObjectAlarm(paymentObject(s.p.id, key))).toBe(true);
        const recovered = await s.get(attempt.paymentId);
        expect(recovered.res.status).toBe(200);
        expect(recovered.body.result).toMatchObject({ id: attempt.paymentId, status: "captured" });
      }
      vi.setSystemTime(Date.now() + LOCK_MS + 1);
      const retried = await s.create(key);
      expect(retried.res.status).toBe(200);
      expect(retried.res.headers.get("Idempotent-Replayed")).toBeNull();
      expect(retried.body.result).toMatchObject({
        id: attempt.paymentId,
        status: "captured",
        amount_captured: 100_000,
        provider_reference: `sbx_${attempt.paymentId.replace(/-/g, "")}`,
      });
      expect((await stored(s.p.id, key)).creating).toBeUndefined();
      const replay = await s.create(key);
      expect(replay.res.headers.get("Idempotent-Replayed")).toBe("true");
      expect(replay.body.result.id).toBe(attempt.paymentId);

      await s.drain(key);
      expect(await s.payments()).toBe(1);
      expect(await s.entries()).toEqual([{ reference: attempt.paymentId, kind: "capture", amount: 100_000 }]);
      expect(await s.events()).toEqual(["payment.captured"]);
      await expectLedgerBalanced();
    },
  );

  it.each([
    ["after persisting its attempt, before committing the payment", "commit"],
    ["after committing the payment, before indexing and acknowledging it", "index"],
  ] as const)("a create aborted %s is retried into exactly one payment", async (_when, method) => {
    const s = await setup();
    const key = crypto.randomUUID();
    const crash = await crashAt(s.p.id, key, method);
    const first = s.create(key).catch(() => undefined);
    await crash.reached();

    const before = await stored(s.p.id, key);
    if (method === "commit") {
      expect(before.payment).toBeUndefined();
      expect(before.creating).toBeDefined();
    } else {
      expect(before.payment?.status).toBe("captured");
      expect(before.outbox).toBe(2);
    }
    const persistedId = before.creating?.paymentId ?? before.payment?.id;
    await crash.abort();
    // The crash surfaced as a failure, never as an acknowledgement.
    expect((await first)?.res.status ?? 500).toBeGreaterThanOrEqual(500);

    const retried = await settle(() => s.create(key));
    expect(retried.res.status).toBe(200);
    expect(retried.body.result).toMatchObject({ id: persistedId, status: "captured" });
    expect((await s.get(retried.body.result.id)).body.result).toEqual(retried.body.result);
    const replay = await s.create(key);
    expect(replay.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.body.result.id).toBe(persistedId);

    await s.drain(key);
    expect(await s.payments()).toBe(1);
    expect(await s.entries()).toEqual([{ reference: persistedId, kind: "capture", amount: 100_000 }]);
    expect(await s.events()).toEqual(["payment.captured"]);
    expect(await s.available()).toEqual([{ currency: "UZS", amount: 99_000 }]);
    await expectLedgerBalanced();
  });

  it.each([
    ["before its commit", "commit"],
    ["after its commit, before acknowledging", "index"],
  ] as const)(
    "20 identical creates, the first stuck %s and outliving its lock, all aborted in flight: one payment",
    async (_where, method) => {
      const s = await setup();
      const key = crypto.randomUUID();
      const crash = await crashAt(s.p.id, key, method);
      const answers: Promise<Call | undefined>[] = [];
      let aborted: Promise<void> | undefined;
      // A stream of duplicates. Before every fifth the clock passes the lock, so that one takes the
      // key over from the stuck holder and joins it inside the payment object; the rest are refused
      // as in flight. The abort lands after the fifteenth, with the holder and two joiners inside.
      for (let i = 0; i < 20; i++) {
        if (i % 5 === 0 && i < 15) vi.setSystemTime(Date.now() + LOCK_MS + 1);
        answers.push(s.create(key).catch(() => undefined));
        if (i === 0) await crash.reached();
        if (i === 14) aborted = crash.abort();
        await sleep(2);
      }
      await aborted;
      const answered = await Promise.all(answers);

      // Each answer is the payment, "in flight" or a failure to retry: never anything else. The
      // three inside the payment object when it was aborted failed; none was acknowledged.
      for (const answer of answered) expect([undefined, 200, 409, 500]).toContain(answer?.res.status);
      for (const inside of [0, 5, 10])
        expect(answered[inside]?.res.status ?? 500).toBeGreaterThanOrEqual(500);
      const retried = await settle(() => s.create(key));
      expect(retried.res.status).toBe(200);
      const acknowledged = [...answered.filter((a) => a?.res.status === 200), retried];
      expect(new Set(acknowledged.map((a) => a?.body.result.id)).size).toBe(1);
      const id: string = retried.body.result.id;
      const replay = await s.create(key);
      expect(replay.res.headers.get("Idempotent-Replayed")).toBe("true");
      expect(replay.body.result.id).toBe(id);

      await s.drain(key);
      expect(await s.payments()).toBe(1);
      expect(await s.entries()).toEqual([{ reference: id, kind: "capture", amount: 100_000 }]);
      expect(await s.events()).toEqual(["payment.captured"]);
      expect(await s.available()).toEqual([{ currency: "UZS", amount: 99_000 }]);
      await expectLedgerBalanced();
    },
  );

  it.each(Object.keys(crashes) as (keyof typeof crashes)[])(
    "an acknowledged capture and refund survive %s, replay on retry and post once",
    async (crashKind) => {
      const s = await setup();
      const key = crypto.randomUUID();
      const id: string = (await s.create(key, { ...visa, capture: false })).body.result.id;

      const captureKey = crypto.randomUUID();
      const captured = await s.op(id, "capture", captureKey);
      expect(captured.body.result).toMatchObject({ status: "captured", amount_captured: 100_000 });
      await crashes[crashKind](s.p, key);
      const captureRetry = await s.op(id, "capture", captureKey);
      expect(captureRetry.res.headers.get("Idempotent-Replayed")).toBe("true");
      expect(captureRetry.body.result).toEqual(captured.body.result);

      const refundKey = crypto.randomUUID();
      const refunded = await s.op(id, "refunds", refundKey, { amount: 30_000 });
      expect(refunded.body.result).toMatchObject({ status: "succeeded", amount: 30_000 });
      await crashes[crashKind](s.p, key);
      const refundRetry = await s.op(id, "refunds", refundKey, { amount: 30_000 });
      expect(refundRetry.res.headers.get("Idempotent-Replayed")).toBe("true");
      expect(refundRetry.body.result).toEqual(refunded.body.result);

      expect((await s.get(id)).body.result).toMatchObject({
        status: "partially_refunded",
        amount_captured: 100_000,
        amount_refunded: 30_000,
      });
      await s.drain(key);
      expect(await s.entries()).toEqual([
        { reference: id, kind: "capture", amount: 100_000 },
        { reference: refunded.body.result.id, kind: "refund", amount: 30_000 },
      ]);
      expect(await s.events()).toEqual(["payment.authorized", "payment.captured", "refund.succeeded"]);
      expect(await s.available()).toEqual([{ currency: "UZS", amount: 69_000 }]);
      await expectLedgerBalanced();
    },
  );

  it("a capture aborted after committing, before answering, is captured once when retried", async () => {
    const s = await setup();
    const key = crypto.randomUUID();
    const id: string = (await s.create(key, { ...visa, capture: false })).body.result.id;
    const captureKey = crypto.randomUUID();
    const crash = await crashAt(s.p.id, key, "index");
    const first = s.op(id, "capture", captureKey).catch(() => undefined);
    await crash.reached();
    expect((await stored(s.p.id, key)).payment?.status).toBe("captured");
    await crash.abort();
    expect((await first)?.res.status ?? 500).toBeGreaterThanOrEqual(500);

    // The retry answers the capture it made (remembered under its key): it never captures again.
    const retried = await settle(() => s.op(id, "capture", captureKey));
    expect(retried.res.status).toBe(200);
    expect(retried.body.result).toMatchObject({ id, status: "captured" });
    const another = await s.op(id, "capture", crypto.randomUUID());
    expect([another.res.status, another.body.error?.code]).toEqual([409, 60]);

    expect((await s.get(id)).body.result).toMatchObject({
      status: "captured",
      amount_captured: 100_000,
      amount_capturable: 0,
    });
    await s.drain(key);
    // The list's D1 projection, which the dead instance never refreshed, shows the capture
    // once the alarm has run (the crash loop found it stuck at the old status).
    expect(await rows("SELECT status FROM payments WHERE id = ?", id)).toEqual([{ status: "captured" }]);
    expect(await s.entries()).toEqual([{ reference: id, kind: "capture", amount: 100_000 }]);
    expect(await s.events()).toEqual(["payment.authorized", "payment.captured"]);
    expect(await s.available()).toEqual([{ currency: "UZS", amount: 99_000 }]);
    await expectLedgerBalanced();
  });

  it("a refund aborted after committing, before answering, is refunded once when retried", async () => {
    const s = await setup();
    const key = crypto.randomUUID();
    const id: string = (await s.create(key)).body.result.id;
    const refundKey = crypto.randomUUID();
    const crash = await crashAt(s.p.id, key, "index");
    const first = s.op(id, "refunds", refundKey, { amount: 30_000 }).catch(() => undefined);
    await crash.reached();
    const committed = (await stored(s.p.id, key)).refunds;
    expect(committed).toMatchObject([{ amount: 30_000, status: "succeeded" }]);
    await crash.abort();
    expect((await first)?.res.status ?? 500).toBeGreaterThanOrEqual(500);

    const retried = await settle(() => s.op(id, "refunds", refundKey, { amount: 30_000 }));
    expect(retried.res.status).toBe(200);
    await s.drain(key);

    // The invariants, all reported: one refund of 30 000, however many times the request ran.
    expect.soft((await s.get(id)).body.result).toMatchObject({
      status: "partially_refunded",
      amount_refunded: 30_000,
    });
    expect.soft((await stored(s.p.id, key)).refunds.map((r) => r.amount)).toEqual([30_000]);
    expect
      .soft(await rows("SELECT status FROM payments WHERE id = ?", id))
      .toEqual([{ status: "partially_refunded" }]);
    expect.soft(await s.entries()).toEqual([
      { reference: id, kind: "capture", amount: 100_000 },
      { reference: committed[0]?.id, kind: "refund", amount: 30_000 },
    ]);
    expect.soft(await s.available()).toEqual([{ currency: "UZS", amount: 69_000 }]);
    expect.soft(retried.body.result).toMatchObject({ id: committed[0]?.id, amount: 30_000 });
    // The refund that was committed can be looked up by its id.
    const lookedUp = await call("GET", `/v1/refunds/${committed[0]?.id}`, { token: s.token });
    expect.soft(lookedUp.res.status).toBe(200);
    await expectLedgerBalanced();
  });

  it("an outbox drain aborted after posting to D1, before clearing the outbox, posts once when rerun", async () => {
    const s = await setup();
    const key = crypto.randomUUID();
    const id: string = (await s.create(key)).body.result.id;
    expect((await stored(s.p.id, key)).outbox).toBe(2);

    // The drain's first D1 batch (the capture posting) commits, then the object dies.
    const crash = new CrashPoint();
    await runInDurableObject(paymentObject(s.p.id, key), (instance: PaymentObject) => {
      const self = instance as unknown as { env: Env };
      const real = self.env;
      const DB = new Proxy(real.DB, {
        get(target, prop) {
          if (prop === "batch") {
            return async (statements: D1PreparedStatement[]) => {
              await target.batch(statements);
              return crash.hang();
            };
          }
          const value = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      self.env = new Proxy(real, { get: (target, prop) => (prop === "DB" ? DB : Reflect.get(target, prop)) });
    });
    const draining = runInDurableObject(paymentObject(s.p.id, key), (instance: PaymentObject) =>
      instance.alarm(),
    ).catch(() => undefined);
    await crash.reached();
    await crash.abort();
    await draining;

    expect(await s.entries()).toEqual([{ reference: id, kind: "capture", amount: 100_000 }]);
    expect((await stored(s.p.id, key)).outbox).toBe(2); // neither item was cleared
    // The platform reruns an alarm that did not finish.
    await runInDurableObject(paymentObject(s.p.id, key), (instance: PaymentObject) => instance.alarm());
    expect((await stored(s.p.id, key)).outbox).toBe(0);

    expect(await s.entries()).toEqual([{ reference: id, kind: "capture", amount: 100_000 }]);
    expect(await s.events()).toEqual(["payment.captured"]);
    expect(await s.available()).toEqual([{ currency: "UZS", amount: 99_000 }]);
    await expectLedgerBalanced();
  });
});
