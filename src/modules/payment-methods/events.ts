import type { EventType } from "../../platform/events/events";
import type { OutboxEvent } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";

/**
 * The one event of `type` an object has (each happens once per customer or saved method): its id
 * is a UUID v7 of when it happened, the rest a hash of type and object, so a retry finds it.
 */
export async function methodEvent<T extends { id: string }>(
  type: EventType,
  owner: { partnerId: string; livemode: boolean },
  object: T,
  at: string,
): Promise<OutboxEvent> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${type}:${object.id}`)),
  );
  return {
    id: uuidv7(Date.parse(at), digest),
    type,
    partnerId: owner.partnerId,
    livemode: owner.livemode,
    createdAt: at,
    object: object as unknown as Record<string, unknown>,
  };
}
