import { type EntryInput, postEntry } from "../src/modules/ledger/ledger";
import { createDb } from "../src/platform/db/client";
import type { Env } from "../src/platform/env";
import { type EventType, type PorticoEvent, publishEvent } from "../src/platform/events/events";
import { uuidv7 } from "../src/platform/lib/ids";
import { createLogger } from "../src/platform/lib/logger";

export type OutboxItem = { kind: "ledger"; entry: EntryInput } | { kind: "event"; event: PorticoEvent };

const MAX_DRAIN_DELAY_MS = 60_000;

/** An event about an object (payment, refund, payout), its snapshot as of now. */
export function eventOf(
  type: EventType,
  partnerId: string,
  object: { livemode: boolean } & object,
): OutboxItem {
  return {
    kind: "event",
    event: {
      id: uuidv7(),
      type,
      partnerId,
      livemode: object.livemode,
      createdAt: new Date().toISOString(),
      object: { ...object },
    },
  };
}

/**
 * A Durable Object's transactional outbox: ledger postings and events are written in the
 * same storage transaction as the state change that causes them (`enqueue` inside
 * `transactionSync`), then drained in order to D1 and the event queue by the object's
 * alarm until each is acknowledged. Both consumers are idempotent (a ledger entry posts
 * once per reference + kind, an event is stored once by id), so a re-drain is harmless.
 */
export class Outbox {
  constructor(
    private readonly kv: SyncKvStorage,
    private readonly env: Env,
  ) {}

  enqueue(items: OutboxItem[]) {
    let seq = this.kv.get<number>("outbox_seq") ?? 0;
    for (const item of items) {
      seq += 1;
      this.kv.put(`outbox:${String(seq).padStart(10, "0")}`, item);
    }
    this.kv.put("outbox_seq", seq);
  }

  /** Drains in order. On a failure the rest stays; answers the delay before the next attempt. */
  async drain(): Promise<{ drained: true } | { drained: false; retryInMs: number }> {
    const db = createDb(this.env.DB);
    for (const [key, item] of this.kv.list<OutboxItem>({ prefix: "outbox:" })) {
      try {
        if (item.kind === "ledger") await postEntry(db, item.entry);
        else await publishEvent(db, this.env.EVENTS_QUEUE, item.event);
        this.kv.delete(key);
      } catch (err) {
        const attempts = (this.kv.get<number>("drain_attempts") ?? 0) + 1;
        this.kv.put("drain_attempts", attempts);
        createLogger("warn").warn("outbox drain failed", {
          key,
          error: err instanceof Error ? err.name : "unknown",
          attempts,
        });
        return { drained: false, retryInMs: Math.min(MAX_DRAIN_DELAY_MS, 1000 * 2 ** attempts) };
      }
    }
    this.kv.delete("drain_attempts");
    return { drained: true };
  }

  /** Items not yet drained (for tests and operations). */
  pending(): number {
    return [...this.kv.list({ prefix: "outbox:" })].length;
  }
}
