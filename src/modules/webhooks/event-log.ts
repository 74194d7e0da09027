import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import type { EventType } from "../../platform/events/events";
import { uuidv7 } from "../../platform/lib/ids";
import { enqueueDeliveries, type WebhookDeps } from "./delivery";
import {
  attemptsOf,
  deliveriesOf,
  type EventFilter,
  type EventRow,
  ensureDeliveries,
  eventsOf,
  eventWithStatus,
  findEndpoint,
  reopenDeliveries,
  subscribedEndpoints,
} from "./storage";

/** An event as the API shows it: the webhook payload, plus how its deliveries stand. */
function eventView(event: EventRow, deliveryStatus: string) {
  return {
    id: event.id,
    object: "event" as const,
    type: event.type as EventType,
    created_at: event.createdAt,
    livemode: event.livemode,
    data: JSON.parse(event.data) as { object: Record<string, unknown> },
    delivery_status: deliveryStatus as "none" | "pending" | "failed" | "succeeded",
  };
}

export async function listEvents(db: Db, partnerId: string, filter: EventFilter) {
  const rows = await eventsOf(db, partnerId, filter);
  return {
    data: rows.slice(0, filter.limit).map((r) => eventView(r.event, r.deliveryStatus)),
    has_more: rows.length > filter.limit,
  };
}

async function ownEvent(db: Db, partnerId: string, id: string) {
  const row = await eventWithStatus(db, partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `event ${id}` });
  return row;
}

export async function getEvent(db: Db, partnerId: string, id: string) {
  const row = await ownEvent(db, partnerId, id);
  return eventView(row.event, row.deliveryStatus);
}

/** Every delivery attempt of the event, oldest first. */
export async function listAttempts(db: Db, partnerId: string, id: string) {
  await ownEvent(db, partnerId, id);
  const rows = await attemptsOf(db, id);
  return {
    data: rows.map((a) => ({
      id: a.id,
      object: "webhook_attempt" as const,
      event_id: a.eventId,
      endpoint_id: a.endpointId,
      attempted_at: a.attemptedAt,
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      response_excerpt: a.responseExcerpt,
      error: a.error,
      outcome: a.outcome,
      next_retry_at: a.nextRetryAt,
    })),
    has_more: false,
  };
}

/**
 * Sends the event again: to one endpoint of the partner's, or to every endpoint subscribed
 * to its type now. A delivery that already succeeded is sent again too: the partner asked.
 */
export async function resendEvent(deps: WebhookDeps, partnerId: string, id: string, endpointId?: string) {
  const { event } = await ownEvent(deps.db, partnerId, id);
  let targets: { id: string }[];
  if (endpointId !== undefined) {
    const endpoint = await findEndpoint(deps.db, partnerId, endpointId);
    if (!endpoint) throw new ApiError("not_found", { resource: `webhook endpoint ${endpointId}` });
    targets = [endpoint];
  } else {
    targets = await subscribedEndpoints(deps.db, partnerId, event.type);
  }
  const existing = new Set((await deliveriesOf(deps.db, id)).map((d) => d.endpointId));
  const deliveries = await ensureDeliveries(
    deps.db,
    targets.map((t) => ({ id: uuidv7(), eventId: id, endpointId: t.id, partnerId })),
  );
  await reopenDeliveries(
    deps.db,
    deliveries.filter((d) => existing.has(d.endpointId)).map((d) => d.id),
  );
  await enqueueDeliveries(deps.deliveries, deliveries);
  return { object: "resend" as const, event_id: id, deliveries: deliveries.length };
}
