import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { applyWindow } from "../../../src/modules/billing/metering/consumer";
import { CALL_CLAIM_MS, WINDOW_CLAIM_MS } from "../../../src/modules/billing/metering/cron";
import {
  type MeteredCall,
  type MeteringMessage,
  messageOf,
} from "../../../src/modules/billing/metering/model";
import { handleQueue } from "../../../src/queues";
import { runJob } from "../../support/cron";
import { provisionPartner } from "../../support/partners";
import { callsOf } from "./metering-support";

// The consumer called directly, to force what the real queue does only by accident: the same
// message delivered twice, a delivery that fails part-way and is retried, two windows (two
// isolates) reporting the same keyed call.

const HOUR = "2026-12-09T10:00:00Z";

function calls(partnerId: string, n: number, fields: Partial<MeteredCall> = {}): MeteredCall[] {
  return Array.from({ length: n }, () => ({
    partnerId,
    hour: HOUR,
    product: "payments",
    operation: "createPayment",
    outcome: "success" as const,
    ...fields,
  }));
}

/** A D1 whose batches fail at their last statement: everything before it ran, then the transaction aborts. */
function failingAtTheEnd(): D1Database {
  return new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "batch")
        return (statements: D1PreparedStatement[]) =>
          target.batch([
            ...statements,
            target.prepare("INSERT INTO metered_windows (id, token, applied_at) VALUES (NULL, NULL, NULL)"),
          ]);
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A queue batch of the metering queue with the messages' ack/retry recorded. */
function batchOf(bodies: MeteringMessage[]) {
  const acked: string[] = [];
  const retried: string[] = [];
  const messages = bodies.map((body, i) => ({
    id: `msg-${i}`,
    timestamp: new Date(),
    attempts: 1,
    body,
    ack: () => acked.push(body.id),
    retry: () => retried.push(body.id),
  }));
  const batch = {
    queue: "portico-sandbox-metering",
    messages,
    ackAll: () => {},
    retryAll: () => {},
  } as unknown as MessageBatch<unknown>;
  return { batch, acked, retried };
}

describe("metering: exactly once off the request path", () => {
  it("a window delivered twice is counted once", async () => {
    const p = await provisionPartner();
    const msg = messageOf(crypto.randomUUID(), [
      ...calls(p.id, 3),
      ...calls(p.id, 2, { outcome: "client_error" }),
      ...calls(p.id, 1, { operation: "getPayment", outcome: "refused" }),
    ]);
    expect(msg.counts).toHaveLength(3);
    expect(await applyWindow(env.DB, msg, Date.now())).toBe(true);
    expect(await applyWindow(env.DB, msg, Date.now())).toBe(false);
    // And through the queue's own dispatch: acked, and still nothing added.
    const twice = batchOf([msg, msg]);
    await handleQueue(twice.batch, env);
    expect(twice.acked).toEqual([msg.id, msg.id]);
    expect(await callsOf(p.id)).toEqual({
      "createPayment/success": 3,
      "createPayment/client_error": 2,
      "getPayment/refused": 1,
    });
  });

  it("a delivery that fails part-way leaves nothing, and its retry counts the window once", async () => {
    const p = await provisionPartner();
    const scope = crypto.randomUUID();
    const msg = messageOf(crypto.randomUUID(), [
      ...calls(p.id, 4),
      ...calls(p.id, 1, { operation: "createFxQuote", product: "fx", scope }),
    ]);
    // The Worker "dies" inside the consumer: the batch's statements ran, then it aborted.
    await expect(applyWindow(failingAtTheEnd(), msg, Date.now())).rejects.toThrow();
    expect(await callsOf(p.id)).toEqual({});
    const claims = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM metered_windows WHERE id = ?1) AS windows, (SELECT count(*) FROM metered_calls WHERE scope = ?2) AS keyed",
    )
      .bind(msg.id, scope)
      .first();
    expect(claims).toEqual({ windows: 0, keyed: 0 });

    // Through the queue's dispatch, the failure is a retry of that message alone, never an ack.
    const failing = batchOf([msg]);
    await handleQueue(failing.batch, { ...env, DB: failingAtTheEnd() });
    expect(failing).toMatchObject({ acked: [], retried: [msg.id] });

    // The redelivery counts it, once; a third delivery adds nothing.
    const retry = batchOf([msg, msg]);
    await handleQueue(retry.batch, env);
    expect(retry.acked).toEqual([msg.id, msg.id]);
    expect(await callsOf(p.id)).toEqual({ "createPayment/success": 4, "createFxQuote/success": 1 });
  });

  it("a keyed call reported by two windows (two isolates, or a replay after a crash) counts once", async () => {
    const p = await provisionPartner();
    const scope = crypto.randomUUID();
    const keyed = { operation: "createFxQuote", product: "fx", scope };
    // The first answer and its replays in one window; a replay in another; both windows concurrently.
    const a = messageOf(crypto.randomUUID(), [
      ...calls(p.id, 1, keyed),
      ...calls(p.id, 2, keyed),
      ...calls(p.id, 1),
    ]);
    expect(a.keyed).toHaveLength(1);
    const b = messageOf(crypto.randomUUID(), [...calls(p.id, 1, keyed), ...calls(p.id, 1)]);
    const applied = await Promise.all([
      applyWindow(env.DB, a, Date.now()),
      applyWindow(env.DB, b, Date.now()),
    ]);
    expect(applied).toEqual([true, true]);
    expect(await callsOf(p.id)).toEqual({ "createPayment/success": 2, "createFxQuote/success": 1 });

    // The original's window lost (its isolate died): the partner's retry, a replay, is what counts it.
    const lost = crypto.randomUUID();
    const replay = messageOf(crypto.randomUUID(), calls(p.id, 1, { ...keyed, scope: lost }));
    await applyWindow(env.DB, replay, Date.now());
    expect(await callsOf(p.id)).toEqual({ "createPayment/success": 2, "createFxQuote/success": 2 });
  });

  it("metering.prune deletes the dedupe rows past their windows, and only those", async () => {
    const now = Date.now();
    const ids = Array.from({ length: 4 }, () => crypto.randomUUID());
    const [oldCall, newCall, oldWindow, newWindow] = ids as [string, string, string, string];
    await env.DB.batch([
      env.DB.prepare("INSERT INTO metered_calls (scope, token, counted_at) VALUES (?, 't', ?)").bind(
        oldCall,
        now - CALL_CLAIM_MS - 60_000,
      ),
      env.DB.prepare("INSERT INTO metered_calls (scope, token, counted_at) VALUES (?, 't', ?)").bind(
        newCall,
        now - CALL_CLAIM_MS + 3_600_000,
      ),
      env.DB.prepare("INSERT INTO metered_windows (id, token, applied_at) VALUES (?, 't', ?)").bind(
        oldWindow,
        now - WINDOW_CLAIM_MS - 60_000,
      ),
      env.DB.prepare("INSERT INTO metered_windows (id, token, applied_at) VALUES (?, 't', ?)").bind(
        newWindow,
        now - WINDOW_CLAIM_MS + 3_600_000,
      ),
    ]);
    // Longer than the idempotency key lives (48 h) plus a margin; longer than a queue keeps a message.
    expect(CALL_CLAIM_MS).toBeGreaterThan(48 * 3_600_000);
    expect(WINDOW_CLAIM_MS).toBeGreaterThan(14 * 86_400_000);
    await runJob("metering.prune");
    const left = await env.DB.prepare(
      `SELECT scope AS id FROM metered_calls WHERE scope IN (?1, ?2, ?3, ?4)
       UNION ALL SELECT id FROM metered_windows WHERE id IN (?1, ?2, ?3, ?4)`,
    )
      .bind(...ids)
      .all<{ id: string }>();
    expect(left.results.map((r) => r.id).sort()).toEqual([newCall, newWindow].sort());
  });
});
