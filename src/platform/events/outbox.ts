import { and, asc, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { events } from "../db/schema";
import { createLogger, type Logger } from "../lib/logger";

/**
 * The one transactional outbox for "state change + event": the D1 `events` table. A row
 * is inserted in the same `db.batch` as the state change that causes it, with
 * `enqueued_at` null; it is then sent to the events queue and marked, right after the
 * commit by the service and, for whatever that missed (a failed send, a process that died
 * in between), by the cron drainer. A row may be sent more than once (a send that
 * succeeded but whose mark did not): the fan-out consumer is idempotent by event id.
 * The consumer marks the row consumed when it is done; a row sent long ago and not consumed
 * was lost with its message (a consumer's crash, a purged queue) and is sent again by the cron
 * (`redriveEvents`).
 */

/** Webhook payloads stay thin (issue 4): the object snapshot, nothing more. */
export const MAX_EVENT_BYTES = 20 * 1024;

export class EventTooLarge extends Error {
  override name = "EventTooLarge";
}

/** What the outbox stores of an event (a `PorticoEvent` is one). */
export interface OutboxEvent {
  id: string;
  type: string;
  partnerId: string;
  livemode: boolean;
  createdAt: string;
  object: Record<string, unknown>;
}

type EventsQueue = Queue<{ eventId: string }>;

/** The stored payload; refused before any statement runs when it is too large. */
function payloadOf(event: OutboxEvent): string {
  const data = JSON.stringify({ object: event.object });
  if (new TextEncoder().encode(data).byteLength > MAX_EVENT_BYTES) {
    throw new EventTooLarge(`event ${event.type} payload exceeds ${MAX_EVENT_BYTES} bytes`);
  }
  return data;
}

/** A row as the outbox stores it; `handled` (a ping, delivered by its caller) is sent and consumed already. */
const rowOf = (event: OutboxEvent, handled: string | null) => ({
  id: event.id,
  partnerId: event.partnerId,
  type: event.type,
  livemode: event.livemode,
  data: payloadOf(event),
  createdAt: event.createdAt,
  enqueuedAt: handled,
  fannedOutAt: handled,
});

/** The statement that puts `event` in the outbox, once by id: for the state change's batch. */
export function insertEvent(db: Db, event: OutboxEvent) {
  return db.insert(events).values(rowOf(event, null)).onConflictDoNothing().returning({ id: events.id });
}

/**
 * Like `insertEvent`, but only when the statement just before it in the same batch changed
 * a row (`changes()` still counts that statement while this one runs): the change and its
 * event commit together, or neither does. `source` is the changed row, which must exist.
 */
export function insertEventIfChanged(
  db: Db,
  event: OutboxEvent,
  source: { table: SQLiteTable; idColumn: SQLiteColumn; id: string },
) {
  const row = rowOf(event, null);
  const value = <T>(v: T, as: string) => sql<T>`${v}`.as(as);
  return db.insert(events).select(
    db
      .select({
        id: value(row.id, "id"),
        partnerId: value(row.partnerId, "partner_id"),
        type: value(row.type, "type"),
        livemode: value(row.livemode ? 1 : 0, "livemode"),
        data: value(row.data, "data"),
        createdAt: value(row.createdAt, "created_at"),
        enqueuedAt: value(null, "enqueued_at"),
        fannedOutAt: value(null, "fanned_out_at"),
      })
      .from(source.table)
      .where(and(eq(source.idColumn, source.id), sql`changes() = 1`)),
  );
}

/**
 * Records an event that is not for the fan-out (a `ping`, delivered by its caller to one
 * endpoint): stored once by id, already marked so the drainer leaves it alone.
 */
export async function recordEvent(db: Db, event: OutboxEvent): Promise<{ stored: boolean }> {
  const inserted = await db
    .insert(events)
    .values(rowOf(event, event.createdAt))
    .onConflictDoNothing()
    .returning({ id: events.id });
  return { stored: inserted.length > 0 };
}

/** Sends one event and marks it; throws when the send fails (the row stays pending). */
export async function sendEvent(db: Db, queue: EventsQueue, eventId: string): Promise<void> {
  await queue.send({ eventId });
  await db
    .update(events)
    .set({ enqueuedAt: new Date().toISOString() })
    .where(and(eq(events.id, eventId), isNull(events.enqueuedAt)));
}

/** Sends each event on its own; a failure is logged, never thrown. Answers how many were sent. */
async function sendEach(db: Db, queue: EventsQueue, eventIds: readonly string[], log: Pick<Logger, "warn">) {
  let sent = 0;
  for (const eventId of eventIds) {
    try {
      await sendEvent(db, queue, eventId);
      sent += 1;
    } catch (err) {
      log.warn("event left in the outbox", {
        event_id: eventId,
        error: err instanceof Error ? err.name : "unknown",
      });
    }
  }
  return sent;
}

/**
 * Sends those of the given events still pending (one already sent is not sent again). For
 * use after the state change has committed: a failure is logged and never thrown, the row
 * stays pending for the drainer. Answers how many were sent.
 */
export async function sendPending(
  db: Db,
  queue: EventsQueue,
  eventIds: readonly string[],
  log: Pick<Logger, "warn"> = createLogger("warn"),
): Promise<number> {
  if (eventIds.length === 0) return 0;
  const pending = await db
    .select({ id: events.id })
    .from(events)
    .where(and(inArray(events.id, [...eventIds]), isNull(events.enqueuedAt)));
  const ids = new Set(pending.map((r) => r.id));
  return sendEach(
    db,
    queue,
    eventIds.filter((id) => ids.has(id)),
    log,
  );
}

/**
 * Sends what is still pending, oldest first: events stored at least `olderThanMs` before
 * `now`, so a service still sending its own events right after its commit is not raced.
 */
export async function drainOutbox(
  db: Db,
  queue: EventsQueue,
  opts: { olderThanMs: number; limit: number; now?: number; log: Pick<Logger, "warn"> },
): Promise<{ pending: number; sent: number }> {
  const cutoff = new Date((opts.now ?? Date.now()) - opts.olderThanMs).toISOString();
  const rows = await db
    .select({ id: events.id })
    .from(events)
    .where(and(isNull(events.enqueuedAt), lte(events.createdAt, cutoff)))
    .orderBy(asc(events.createdAt), asc(events.id))
    .limit(opts.limit);
  const ids = rows.map((r) => r.id);
  return { pending: ids.length, sent: await sendEach(db, queue, ids, opts.log) };
}

/** The events queue's consumer is done with the event: it will not be re-driven. */
export async function markConsumed(db: Db, eventId: string): Promise<void> {
  await db
    .update(events)
    .set({ fannedOutAt: new Date().toISOString() })
    .where(and(eq(events.id, eventId), isNull(events.fannedOutAt)));
}

/**
 * Sends again, oldest first, the events sent at least `olderThanMs` before `now` that their
 * consumer never finished: their message was lost on the way. Each is marked sent again at
 * `now`, so it is re-driven once per period at most. The consumer is idempotent by event id,
 * so an event whose message was only slow is fanned out once all the same.
 */
export async function redriveEvents(
  db: Db,
  queue: EventsQueue,
  opts: { olderThanMs: number; limit: number; now?: number; log: Pick<Logger, "warn"> },
): Promise<{ stale: number; sent: number }> {
  const now = opts.now ?? Date.now();
  const cutoff = new Date(now - opts.olderThanMs).toISOString();
  const rows = await db
    .select({ id: events.id })
    .from(events)
    .where(and(isNotNull(events.enqueuedAt), isNull(events.fannedOutAt), lte(events.enqueuedAt, cutoff)))
    .orderBy(asc(events.enqueuedAt), asc(events.id))
    .limit(opts.limit);
  let sent = 0;
  for (const { id } of rows) {
    try {
      await queue.send({ eventId: id });
      await db
        .update(events)
        .set({ enqueuedAt: new Date(now).toISOString() })
        .where(and(eq(events.id, id), isNull(events.fannedOutAt)));
      sent += 1;
    } catch (err) {
      opts.log.warn("event re-drive failed", {
        event_id: id,
        error: err instanceof Error ? err.name : "unknown",
      });
    }
  }
  return { stale: rows.length, sent };
}
