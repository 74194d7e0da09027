import type { Db } from "../db/client";
import { insertEvent, recordEvent, sendEvent } from "./outbox";

export { EventTooLarge, MAX_EVENT_BYTES } from "./outbox";

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
  "consent.rejected",
  "consent.revoked",
  "consent.expired",
  "fx_conversion.completed",
  "endpoint.disabled",
  /** A usage alert's threshold reached in a billing period (docs/billing.md, usage alerts). */
  "usage.threshold_reached",
  // Billing (docs/invoices.md)
  "invoice.issued",
  "invoice.paid",
  // Disputes (docs/disputes.md)
  "dispute.created",
  "dispute.updated",
  "dispute.closed",
  // Risk (docs/risk.md): a held payment's review opened, and closed with its outcome.
  "review.opened",
  "review.closed",
  // Customers and their saved payment methods (docs/payment-methods.md)
  "customer.created",
  "customer.deleted",
  "payment_method.attached",
  "payment_method.detached",
  /** A test event (`POST /v1/webhook_endpoints/{id}/test`), delivered to that endpoint only. */
  "ping",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

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

/** Recorded only, not for the fan-out (a `ping`, delivered by its caller); stored once by id. */
export async function storeEvent(db: Db, event: PorticoEvent): Promise<{ stored: boolean }> {
  return recordEvent(db, event);
}

/**
 * Puts the event in the outbox once (by id), sends it and marks it sent: the one path of
 * src/platform/events/outbox.ts, for producers whose state lives elsewhere (a Durable
 * Object's outbox). Safe to call again for the same event, as an outbox drain retried
 * after a crash will: the row is not duplicated, and consumers are idempotent by event
 * id. A failed send throws (the caller retries) and leaves the row to the cron drainer.
 */
export async function publishEvent(
  db: Db,
  queue: Queue<EventMessage>,
  event: PorticoEvent,
): Promise<{ stored: boolean }> {
  const inserted = await insertEvent(db, event);
  await sendEvent(db, queue, event.id);
  return { stored: inserted.length > 0 };
}
