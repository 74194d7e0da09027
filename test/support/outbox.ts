import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../../src";
import type { EventMessage } from "../../src/platform/events/events";
import { tokenFor } from "./http";
import { provisionPartner } from "./partners";
import { createEndpoint, receiver, until } from "./webhooks";

// The D1 `events` table as the one outbox, seen from a test: queues that count, fail or hang
// (a process that died between the commit and the send), the real cron drainer, and the
// check that a pending event is delivered exactly once.

export type EventsQueue = Queue<EventMessage>;

/** The real events queue, recording which event ids went through it. */
export function countingQueue() {
  const sent: string[] = [];
  const queue = {
    send: async (body: EventMessage) => {
      sent.push(body.eventId);
      await env.EVENTS_QUEUE.send(body);
    },
  } as unknown as EventsQueue;
  return { queue, timesSent: (id: string) => sent.filter((s) => s === id).length };
}

export const failingQueue = {
  send: async () => {
    throw new Error("queue unavailable");
  },
} as unknown as EventsQueue;

/** A send that hangs, as when the process dies between the commit and the send; `release` ends it. */
export function hangingQueue() {
  const waiting: (() => void)[] = [];
  let released = false;
  const queue = {
    send: () => (released ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
  } as unknown as EventsQueue;
  const release = () => {
    released = true;
    for (const resolve of waiting) resolve();
  };
  return { queue, release };
}

/** One run of the real cron handler, a minute from now so every pending row is past its grace. */
export async function drain(queue: EventsQueue) {
  const controller = createScheduledController({ scheduledTime: Date.now() + 60_000, cron: "* * * * *" });
  await worker.scheduled(controller, { ...env, EVENTS_QUEUE: queue });
}

export const eventRows = async (partnerId: string, type: string) =>
  (
    await env.DB.prepare("SELECT id, enqueued_at FROM events WHERE partner_id = ? AND type = ?")
      .bind(partnerId, type)
      .all<{ id: string; enqueued_at: string | null }>()
  ).results;

export const eventRow = (id: string) =>
  env.DB.prepare("SELECT id, enqueued_at FROM events WHERE id = ?")
    .bind(id)
    .first<{ id: string; enqueued_at: string | null }>();

/** A partner with an endpoint on the real receiver, to see the event arrive. */
export async function partnerWithHook() {
  const p = await provisionPartner();
  const token = await tokenFor(p);
  const hook = receiver();
  await createEndpoint(token, { url: hook.url });
  const arrived = (eventId: string) =>
    until(async () => (await hook.received()).some((r) => r.body.includes(eventId)));
  return { p, token, arrived };
}

/** Asserts one pending row of each type, drains twice, and answers the (first) event. */
export async function drainsOnce(
  partnerId: string,
  type: string | string[],
  arrived: (id: string) => Promise<unknown>,
) {
  const types = typeof type === "string" ? [type] : type;
  const ids: string[] = [];
  for (const t of types) {
    const [pending, ...more] = await eventRows(partnerId, t);
    expect(more).toEqual([]);
    expect(pending?.enqueued_at).toBeNull();
    ids.push(pending?.id ?? "");
  }
  const first = countingQueue();
  await drain(first.queue);
  const marked: { id: string; enqueued_at: string | null }[] = [];
  for (const id of ids) {
    expect(first.timesSent(id)).toBe(1);
    const row = await eventRow(id);
    expect(row?.enqueued_at).toEqual(expect.any(String));
    if (row) marked.push(row);
    await arrived(id);
  }
  const second = countingQueue();
  await drain(second.queue);
  for (const [i, t] of types.entries()) {
    expect(second.timesSent(ids[i] ?? "")).toBe(0);
    expect(await eventRows(partnerId, t)).toEqual([marked[i]]);
  }
  return { id: ids[0] ?? "", enqueuedAt: marked[0]?.enqueued_at };
}
