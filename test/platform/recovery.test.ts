import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { OutboxItem } from "../../durable-objects/outbox";
import type { PaymentObject } from "../../durable-objects/payment";
import worker from "../../src";
import { postEntry } from "../../src/modules/ledger/ledger";
import { ledgerImbalance } from "../../src/modules/ledger/storage";
import type { Payment } from "../../src/modules/payments/model";
import { SECRET_UNAVAILABLE } from "../../src/modules/webhooks/delivery";
import { recoverEndpoint } from "../../src/modules/webhooks/endpoints";
import { ensureDeliveries } from "../../src/modules/webhooks/storage";
import { loadConfig } from "../../src/platform/env";
import { publishEvent, storeEvent } from "../../src/platform/events/events";
import { uuidv7 } from "../../src/platform/lib/ids";
import { newSecretBoxKey } from "../../src/platform/lib/secret-box";
import { call, fetchWithEnv, tokenFor } from "../support/http";
import { drain as drainObject, paymentObject } from "../support/objects";
import { db, provisionPartner } from "../support/partners";
import { createEndpoint, receiver } from "../support/webhooks";

// docs/recovery.md, tested where workerd can: what a D1 point-in-time restore does to the
// ledger and the events while the payment objects keep their state, and what a change of
// WEBHOOK_SECRETS_KEY does to deliveries, and how rotate_secret recovers them.

const rows = async <T = Record<string, unknown>>(sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;

// ----------------------------------------------------------------- D1 Time Travel, simulated
/** Tables a restore takes back, children first; each keyed by `id`. */
const RESTORED = [
  "webhook_attempts",
  "webhook_deliveries",
  "postings",
  "journal_entries",
  "ledger_accounts",
  "events",
  "payments",
] as const;
/** The ledger is append-only by trigger; a restore is not bound by them, so the simulation lifts them. */
const LEDGER_GUARDS = ["journal_entries_no_delete", "postings_no_delete", "ledger_accounts_no_delete"];

/** The database as of now: every row of the restored tables. */
async function pointInTime() {
  const at = new Map<string, Map<string, Record<string, unknown>>>();
  for (const table of RESTORED) {
    const all = await rows(`SELECT * FROM ${table}`);
    at.set(table, new Map(all.map((r) => [String(r.id), r])));
  }
  return at;
}

/**
 * What `wrangler d1 time-travel restore --timestamp T` does to these tables: rows written after T
 * are gone, rows changed after T are as they were at T. Durable Objects are not touched.
 */
async function restoreTo(at: Awaited<ReturnType<typeof pointInTime>>) {
  const guards = await rows<{ sql: string }>(
    `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${LEDGER_GUARDS.map(() => "?").join(",")})`,
    ...LEDGER_GUARDS,
  );
  expect(guards).toHaveLength(LEDGER_GUARDS.length);
  for (const name of LEDGER_GUARDS) await env.DB.prepare(`DROP TRIGGER ${name}`).run();
  try {
    for (const table of RESTORED) {
      const then = at.get(table) ?? new Map();
      for (const row of await rows(`SELECT * FROM ${table}`)) {
        const old = then.get(String(row.id));
        if (!old) {
          await env.DB.prepare(`DELETE FROM ${table} WHERE id = ?`).bind(row.id).run();
        } else if (JSON.stringify(old) !== JSON.stringify(row)) {
          const columns = Object.keys(old).filter((c) => c !== "id");
          await env.DB.prepare(
            `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(", ")} WHERE id = ?`,
          )
            .bind(...columns.map((c) => old[c]), row.id)
            .run();
        }
      }
    }
  } finally {
    for (const { sql } of guards) await env.DB.prepare(sql).run();
  }
}

/** What a payment object has in storage: its state and the items its outbox still holds. */
const objectState = (partnerId: string, key: string) =>
  runInDurableObject(paymentObject(partnerId, key), (_instance: PaymentObject, state) => ({
    payment: state.storage.kv.get<Payment>("payment"),
    outbox: [...state.storage.kv.list<OutboxItem>({ prefix: "outbox:" })].map(([, item]) => item),
  }));

describe("D1 Time Travel: a restore to T while the payment objects keep their state", () => {
  // The objects' alarms a day away (their "now" is the fake clock): each test drains by hand.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 24 * 3600 * 1000);
  });
  afterEach(() => vi.useRealTimers());

  it("loses what was drained after T, keeps what is still in an outbox, and re-posting is idempotent", async () => {
    const p = await provisionPartner({ feeBps: 100 });
    const token = await tokenFor(p);
    const create = (key: string, capture: boolean) =>
      call("POST", "/v1/payments", {
        token,
        headers: { "Idempotency-Key": key },
        json: { params: { amount: 100_000, currency: "UZS", payment_method_token: "pm_card_visa", capture } },
      });
    const entries = async () =>
      (
        await rows<{ reference: string; kind: string }>(
          "SELECT reference, kind FROM journal_entries WHERE partner_id = ? ORDER BY kind, reference",
          p.id,
        )
      ).map((r) => `${r.kind} ${r.reference}`);
    const eventTypes = async () =>
      (await rows<{ type: string }>("SELECT type FROM events WHERE partner_id = ? ORDER BY type", p.id)).map(
        (r) => r.type,
      );
    const projection = async (id: string) =>
      (await rows<{ status: string }>("SELECT status FROM payments WHERE id = ?", id))[0]?.status;
    const available = async () =>
      (await call("GET", "/v1/balance", { token })).body.result.available as { amount: number }[];

    // Before T: payment A authorized, its outbox drained.
    const keyA = crypto.randomUUID();
    const a = (await create(keyA, false)).body.result as Payment;
    expect(a.status).toBe("authorized");
    await drainObject(paymentObject(p.id, keyA));
    const t = await pointInTime();

    // After T: A captured and drained; B created captured and drained; C created captured, not drained yet.
    const captured = await call("POST", `/v1/payments/${a.id}/capture`, {
      token,
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(captured.body.result.status).toBe("captured");
    const drainedByA = (await objectState(p.id, keyA)).outbox;
    await drainObject(paymentObject(p.id, keyA));
    const keyB = crypto.randomUUID();
    const b = (await create(keyB, true)).body.result as Payment;
    const drainedByB = (await objectState(p.id, keyB)).outbox;
    await drainObject(paymentObject(p.id, keyB));
    const keyC = crypto.randomUUID();
    const c = (await create(keyC, true)).body.result as Payment;
    expect((await objectState(p.id, keyC)).outbox).toHaveLength(2); // its capture entry and event
    // Sorted: under the frozen clock, ids minted in one millisecond do not sort by time.
    expect(await entries()).toEqual([`capture ${a.id}`, `capture ${b.id}`].sort());
    const before = await available();

    await restoreTo(t);

    // The objects still hold their state; D1 is back at T.
    expect((await objectState(p.id, keyA)).payment?.status).toBe("captured");
    expect((await objectState(p.id, keyB)).payment?.status).toBe("captured");
    expect(await entries()).toEqual([]);
    expect(await eventTypes()).toEqual(["payment.authorized"]);
    expect(await projection(a.id)).toBe("authorized"); // the list's snapshot, behind its object
    expect(await projection(b.id)).toBeUndefined(); // B's row was written after T
    // What a partner sees: A read from its object is captured, but the list and the balance are T's.
    expect((await call("GET", `/v1/payments/${a.id}`, { token })).body.result.status).toBe("captured");
    const listed = (await call("GET", "/v1/payments", { token })).body.result.data as Payment[];
    expect(listed.find((x) => x.id === a.id)?.status).toBe("authorized");
    expect((await call("GET", `/v1/payments/${b.id}`, { token })).res.status).toBe(404);
    // A retry of B's create is replayed from the object's key record: the row stays missing.
    const retried = await create(keyB, true);
    expect(retried.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(retried.body.result.id).toBe(b.id);
    expect((await call("GET", `/v1/payments/${b.id}`, { token })).res.status).toBe(404);
    expect(await available()).not.toEqual(before);
    // A and B drained before the restore: their outboxes are empty, nothing re-posts by itself.
    expect((await objectState(p.id, keyA)).outbox).toEqual([]);
    expect((await objectState(p.id, keyB)).outbox).toEqual([]);

    // C's outbox had not drained: it drains now and its entry and event come back on their own.
    await drainObject(paymentObject(p.id, keyC));
    expect(await entries()).toEqual([`capture ${c.id}`]);

    // The lost postings re-derived (here: the items A and B drained, kept by the test) post once,
    // however often they are posted; the events are stored once by id.
    for (const item of [...drainedByA, ...drainedByB, ...drainedByA]) {
      if (item.kind === "ledger") await postEntry(db, item.entry);
      else await publishEvent(db, env.EVENTS_QUEUE, item.event);
    }
    expect(await entries()).toEqual([`capture ${a.id}`, `capture ${b.id}`, `capture ${c.id}`].sort());
    expect((await eventTypes()).filter((x) => x === "payment.captured")).toHaveLength(3);
    for (const row of await ledgerImbalance(db)) expect(Number(row.imbalance)).toBe(0);
    const again = drainedByA.find((i) => i.kind === "ledger");
    if (again?.kind !== "ledger") throw new Error("A's capture posting was not in its outbox");
    expect((await postEntry(db, again.entry)).created).toBe(false);
  });
});

// -------------------------------------------------------------- a changed WEBHOOK_SECRETS_KEY
async function deliveryTo(partnerId: string, endpointId: string) {
  const eventId = uuidv7();
  await storeEvent(db, {
    id: eventId,
    type: "payment.captured",
    partnerId,
    livemode: false,
    createdAt: new Date().toISOString(),
    object: { id: "pay_1", object: "payment" },
  });
  const [delivery] = await ensureDeliveries(db, [{ id: uuidv7(), eventId, endpointId, partnerId }]);
  if (!delivery) throw new Error("no delivery");
  return delivery.id;
}

/** The delivery consumer, run by hand as the deployment with `key` would run it. */
async function consume(key: string, deliveryId: string, attempts: number) {
  const batch = createMessageBatch("portico-sandbox-webhooks", [
    { id: `m-${attempts}`, timestamp: new Date(), attempts, body: { deliveryId } },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, WEBHOOK_SECRETS_KEY: key });
  return getQueueResult(batch, ctx);
}

describe("a changed WEBHOOK_SECRETS_KEY", () => {
  afterEach(() => vi.restoreAllMocks());

  it("deliveries to endpoints sealed under the old key fail clearly, on the schedule, with no secret anywhere", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const hook = receiver();
    const endpoint = await createEndpoint(token, { url: hook.url }); // sealed under the run's key
    const newKey = newSecretBoxKey();
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    vi.spyOn(console, "log").mockImplementation(capture);
    vi.spyOn(console, "warn").mockImplementation(capture);
    vi.spyOn(console, "error").mockImplementation(capture);

    const deliveryId = await deliveryTo(p.id, endpoint.id);
    const first = await consume(newKey, deliveryId, 1);
    // Retried on the delivery schedule (an attempt recorded), not by the consumer's crash path.
    expect(first.retryMessages).toEqual([{ msgId: "m-1" }]);
    const attempts = await rows<{ error: string; status_code: number | null; outcome: string }>(
      "SELECT error, status_code, outcome FROM webhook_attempts WHERE delivery_id = ?",
      deliveryId,
    );
    expect(attempts).toEqual([{ error: SECRET_UNAVAILABLE, status_code: null, outcome: "retry" }]);
    expect(await hook.received()).toEqual([]); // nothing is sent unsigned
    // The partner sees why in the event's attempts.
    const [{ event_id: eventId = "" } = {}] = await rows<{ event_id: string }>(
      "SELECT event_id FROM webhook_deliveries WHERE id = ?",
      deliveryId,
    );
    const log = await call("GET", `/v1/events/${eventId}/attempts`, { token });
    expect(log.res.status).toBe(200);
    expect(JSON.stringify(log.body)).toContain(SECRET_UNAVAILABLE);

    // The schedule's end gives up: the delivery is failed and dead-lettered, like any other.
    const last = await consume(newKey, deliveryId, 4);
    expect(last.explicitAcks).toEqual(["m-4"]);
    const row = await rows<{ status: string }>(
      "SELECT status FROM webhook_deliveries WHERE id = ?",
      deliveryId,
    );
    expect(row[0]?.status).toBe("failed");

    // Logged once per attempt, naming the endpoint (other lines may be other tests' background work).
    const ours = lines.filter((l) => l.includes(endpoint.id));
    expect(ours.filter((l) => l.includes("webhook secret cannot be opened"))).toHaveLength(2);
    for (const l of lines) {
      expect(l).not.toContain(endpoint.secret);
      expect(l).not.toContain(newKey);
      expect(l).not.toContain(env.WEBHOOK_SECRETS_KEY ?? "no key");
    }
  });

  it("rotate_secret under the new key, then recover, delivers them signed with the new secret only", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const hook = receiver();
    const endpoint = await createEndpoint(token, { url: hook.url });
    const newKey = newSecretBoxKey();
    const deliveryId = await deliveryTo(p.id, endpoint.id);
    await consume(newKey, deliveryId, 4); // given up under the new key
    const since = new Date(Date.now() - 60_000).toISOString();

    // The deployment now runs with the new key: the partner rotates (the previous secret, sealed
    // under the old key, no longer opens and is left out of the signatures).
    const rotated = await fetchWithEnv(
      worker,
      { WEBHOOK_SECRETS_KEY: newKey },
      `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`,
      {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": crypto.randomUUID() },
      },
    );
    expect(rotated.res.status).toBe(200);
    const secret: string = rotated.body.result.secret;
    expect(secret).not.toBe(endpoint.secret);

    const requeued: string[] = [];
    const deliveries = {
      sendBatch: async (batch: { body: { deliveryId: string } }[]) => {
        for (const m of batch) requeued.push(m.body.deliveryId);
      },
    } as unknown as Queue<{ deliveryId: string }>;
    const config = loadConfig({ ...env, WEBHOOK_SECRETS_KEY: newKey });
    const recovered = await recoverEndpoint({ db, config, deliveries }, p.id, endpoint.id, since);
    expect(recovered.deliveries).toBe(1);
    expect(requeued).toEqual([deliveryId]);

    const result = await consume(newKey, deliveryId, 1);
    expect(result.explicitAcks).toEqual(["m-1"]);
    const [got] = await hook.received();
    if (!got) throw new Error("nothing delivered");
    const signatures = (got.headers["webhook-signature"] ?? "").split(" ");
    expect(signatures).toHaveLength(1);
    expect(new Webhook(secret).verify(got.body, got.headers)).toMatchObject({ type: "payment.captured" });
    expect(() => new Webhook(endpoint.secret).verify(got.body, got.headers)).toThrow();
    const row = await rows<{ status: string }>(
      "SELECT status FROM webhook_deliveries WHERE id = ?",
      deliveryId,
    );
    expect(row[0]?.status).toBe("succeeded");
  });
});
