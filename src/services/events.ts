import type { Db } from "../db/client";
import { events } from "../db/schema";

/** Event types (docs/webhooks.md); product events join as their products do. */
export const EVENT_TYPES = [
  "payment.requires_action",
  "payment.pending",
  "payment.authorized",
  "payment.captured",
  "payment.failed",
  "payment.canceled",
  "payment.expired",
  "refund.succeeded",
  "refund.failed",
  "payout.queued",
  "payout.sent",
  "payout.paid",
  "payout.failed",
  // BaaS products (docs/products.md)
  "card_application.created",
  "card_application.completed",
  "card.attached",
  "card.blocked",
  "loan_application.approved",
  "loan_application.declined",
  "loan.accepted",
  "loan.disbursed",
  "kyc_verification.completed",
  "consent.authorised",
  "consent.revoked",
  "consent.expired",
  "fx_conversion.completed",
  "endpoint.disabled",
  /** A test event (`POST /v1/webhook_endpoints/{id}/test`), delivered to that endpoint only. */
  "ping",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Webhook payloads stay thin (issue 4): the object snapshot, nothing more. */
export const MAX_EVENT_BYTES = 20 * 1024;

export interface PorticoEvent {
  /** Chosen by the producer (the outbox), so a re-drained event is the same event. */
  id: string;
  type: EventType;
  partnerId: string;
  livemode: boolean;
  createdAt: string;
  object: Record<string, unknown>;
}

/** What the queue carries: the id only; consumers read the stored event. */
export interface EventMessage {
  eventId: string;
}

export class EventTooLarge extends Error {
  override name = "EventTooLarge";
}

/** Stores the event once (by id); answers whether this call stored it. */
export async function storeEvent(db: Db, event: PorticoEvent): Promise<{ stored: boolean }> {
  const data = JSON.stringify({ object: event.object });
  if (new TextEncoder().encode(data).byteLength > MAX_EVENT_BYTES) {
    throw new EventTooLarge(`event ${event.type} payload exceeds ${MAX_EVENT_BYTES} bytes`);
  }
  const inserted = await db
    .insert(events)
    .values({
      id: event.id,
      partnerId: event.partnerId,
      type: event.type,
      livemode: event.livemode,
      data,
      createdAt: event.createdAt,
    })
    .onConflictDoNothing()
    .returning({ id: events.id });
  return { stored: inserted.length > 0 };
}

/**
 * Stores the event once (by id) and enqueues it for delivery. Safe to call again for the
 * same event, as an outbox drain retried after a crash will: the row is not duplicated,
 * and consumers are idempotent by event id.
 */
export async function publishEvent(
  db: Db,
  queue: Queue<EventMessage>,
  event: PorticoEvent,
): Promise<{ stored: boolean }> {
  const result = await storeEvent(db, event);
  await queue.send({ eventId: event.id });
  return result;
}
