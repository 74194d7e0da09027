import type { EventType } from "../../platform/events/events";
import type { OutboxEvent } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";

/**
 * The id of the one event of `type` an object can have (each card event happens once per
 * object): a UUID v7 stamped with the time it happened, the rest from a hash of type and
 * object. A retry computes the same id, so it finds the event its first attempt stored.
 */
export async function cardEventId(type: EventType, objectId: string, at: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${type}:${objectId}`)),
  );
  return uuidv7(Date.parse(at), digest);
}

/** A card event as the outbox stores it, in the batch of the change it reports. */
export const cardEvent = (
  id: string,
  type: EventType,
  at: string,
  owner: { partnerId: string; livemode: boolean },
  object: Record<string, unknown>,
): OutboxEvent => ({ id, type, partnerId: owner.partnerId, livemode: owner.livemode, createdAt: at, object });
