import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../src";
import { type DeliveryMessage, fanOut } from "../../../src/modules/webhooks/delivery";
import { loadConfig } from "../../../src/platform/env";
import { publishEvent } from "../../../src/platform/events/events";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { countingQueue, type EventsQueue, partnerWithHook } from "../../support/outbox";
import { db, provisionPartner } from "../../support/partners";
import { until } from "../../support/webhooks";

// Work a queue took and never finished: a message lost with its consumer (a killed runtime, a
// purged queue). The cron sends it again once it is QUEUE_REDRIVE_AFTER_SECONDS (900 s) old.

/** A queue that takes messages and loses them. */
const losing = <T>() => ({ send: async () => {}, sendBatch: async () => {} }) as unknown as Queue<T>;

/** One run of the real cron handler at `offsetMs` from now. */
async function cron(offsetMs: number, queues: { events?: EventsQueue } = {}) {
  const controller = createScheduledController({ scheduledTime: Date.now() + offsetMs, cron: "* * * * *" });
  await worker.scheduled(controller, { ...env, ...(queues.events ? { EVENTS_QUEUE: queues.events } : {}) });
}

const REDRIVE_MS = 900_000;

const anEvent = (partnerId: string) => ({
  id: uuidv7(),
  type: "payment.captured" as const,
  partnerId,
  livemode: false,
  createdAt: new Date().toISOString(),
  object: { id: `pay_${crypto.randomUUID()}`, object: "payment" },
});

const eventState = (id: string) =>
  env.DB.prepare("SELECT enqueued_at, fanned_out_at FROM events WHERE id = ?")
    .bind(id)
    .first<{ enqueued_at: string | null; fanned_out_at: string | null }>();

const deliveriesOf = (eventId: string) =>
  env.DB.prepare("SELECT id, status, attempts, next_attempt_at FROM webhook_deliveries WHERE event_id = ?")
    .bind(eventId)
    .all<{ id: string; status: string; attempts: number; next_attempt_at: string | null }>()
    .then((r) => r.results);

describe("the cron re-drives queue work that was lost", () => {
  it("sends again an event sent but never fanned out, once, and it is delivered", async () => {
    const s = await partnerWithHook();
    const event = anEvent(s.p.id);
    await publishEvent(db, losing(), event);
    expect(await eventState(event.id)).toEqual({ enqueued_at: expect.any(String), fanned_out_at: null });

    // Not before its time: a message may only be slow.
    const early = countingQueue();
    await cron(REDRIVE_MS - 60_000, { events: early.queue });
    expect(early.timesSent(event.id)).toBe(0);

    const counting = countingQueue();
    await cron(REDRIVE_MS + 60_000, { events: counting.queue });
    expect(counting.timesSent(event.id)).toBe(1);
    await s.arrived(event.id);
    const state = await until(async () => {
      const row = await eventState(event.id);
      return row?.fanned_out_at ? row : undefined;
    });
    expect(state.fanned_out_at).toEqual(expect.any(String));
    expect(await deliveriesOf(event.id)).toEqual([
      expect.objectContaining({ status: "succeeded", attempts: 1 }),
    ]);

    // Consumed now: never again.
    const after = countingQueue();
    await cron(2 * REDRIVE_MS, { events: after.queue });
    expect(after.timesSent(event.id)).toBe(0);
  });

  it("leaves a consumed event alone", async () => {
    const s = await partnerWithHook();
    const event = anEvent(s.p.id);
    await publishEvent(db, env.EVENTS_QUEUE, event);
    await s.arrived(event.id);
    await until(async () => (await eventState(event.id))?.fanned_out_at);
    const counting = countingQueue();
    await cron(2 * REDRIVE_MS, { events: counting.queue });
    expect(counting.timesSent(event.id)).toBe(0);
  });

  it("sends again a pending delivery whose message was lost, and it succeeds once", async () => {
    const s = await partnerWithHook();
    const event = anEvent(s.p.id);
    await publishEvent(db, losing(), event);
    const config = loadConfig(env);
    // The fan-out ran (deliveries made, event consumed) but its delivery messages were lost.
    expect(await fanOut({ db, config, deliveries: losing<DeliveryMessage>() }, event.id)).toBe(1);
    expect((await eventState(event.id))?.fanned_out_at).toEqual(expect.any(String));
    const [pending] = await deliveriesOf(event.id);
    expect(pending).toMatchObject({ status: "pending", attempts: 0 });

    await cron(REDRIVE_MS - 60_000);
    expect(await deliveriesOf(event.id)).toEqual([pending]);

    await cron(REDRIVE_MS + 60_000);
    await s.arrived(event.id);
    const [done] = await until(async () => {
      const rows = await deliveriesOf(event.id);
      return rows[0]?.status === "succeeded" ? rows : undefined;
    });
    expect(done).toMatchObject({ id: pending?.id, status: "succeeded", attempts: 1 });
  });

  it("does not re-drive a delivery scheduled for later", async () => {
    const p = await provisionPartner();
    const event = anEvent(p.id);
    await publishEvent(db, losing(), event);
    const id = uuidv7();
    const later = new Date(Date.now() + 2 * REDRIVE_MS).toISOString();
    const touched = new Date(Date.now() - 2 * REDRIVE_MS).toISOString();
    // A delivery waiting on its next attempt (the endpoint is not needed: the row is all it reads).
    await env.DB.prepare(
      "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, partner_id, status, attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', 2, ?, ?, ?)",
    )
      .bind(id, event.id, uuidv7(), p.id, later, touched, touched)
      .run();
    await cron(REDRIVE_MS + 60_000);
    expect(
      await env.DB.prepare("SELECT updated_at FROM webhook_deliveries WHERE id = ?")
        .bind(id)
        .first("updated_at"),
    ).toBe(touched);
  });
});
