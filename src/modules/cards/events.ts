import { type EventType, publishEvent } from "../../platform/events/events";
import { uuidv7 } from "../../platform/lib/ids";
import type { CardDeps } from "./deps";

/**
 * The id of the one event of `type` an object can have (each card event happens once per
 * object): a UUID v7 stamped with the time it happened, the rest from a hash of type and
 * object. A retry that publishes it again publishes the same event, which is stored once.
 */
export async function cardEventId(type: EventType, objectId: string, at: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${type}:${objectId}`)),
  );
  return uuidv7(Date.parse(at), digest);
}

export async function publishCardEvent(
  deps: Pick<CardDeps, "db" | "events">,
  event: {
    type: EventType;
    at: string;
    partnerId: string;
    livemode: boolean;
    object: { id: string } & Record<string, unknown>;
  },
) {
  await publishEvent(deps.db, deps.events, {
    id: await cardEventId(event.type, event.object.id, event.at),
    type: event.type,
    partnerId: event.partnerId,
    livemode: event.livemode,
    createdAt: event.at,
    object: event.object,
  });
}
