import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { sendPending } from "../../platform/events/outbox";
import type { CardDeps } from "./deps";
import { cardEvent, cardEventId } from "./events";
import type { BlockReason, Card } from "./model";
import { blockCardRow, type CardRow, findCard, listCardRows } from "./storage";
import { cardEventObject, cardView } from "./views";

const notFound = (id: string) => new ApiError("not_found", { resource: `card ${id}` });

/** The partner's cards (issued and attached), newest first. */
export async function listCards(
  db: Db,
  partnerId: string,
  opts: { status?: string; startingAfter?: string; limit: number },
): Promise<{ data: Card[]; has_more: boolean }> {
  const rows = await listCardRows(db, partnerId, opts);
  return { data: rows.slice(0, opts.limit).map(cardView), has_more: rows.length > opts.limit };
}

/** One of the partner's cards; another partner's id answers exactly as an unknown one. */
export async function getCard(db: Db, partnerId: string, id: string): Promise<Card> {
  const row = await findCard(db, partnerId, id);
  if (!row) throw notFound(id);
  return cardView(row);
}

/** The one `card.blocked` of a card, as of when it was blocked. */
const blockedEventId = (row: CardRow) => cardEventId("card.blocked", row.id, row.blockedAt ?? row.updatedAt);

/**
 * Blocks a card at the card system, then here (`card.blocked`); blocking is final. A card
 * blocked already is 409 (code 60), except for a retry of the block under its own
 * Idempotency-Key, which answers the card again.
 */
export async function blockCard(
  deps: CardDeps,
  partnerId: string,
  id: string,
  idempotencyKey: string,
  reason: BlockReason,
): Promise<Card> {
  const row = await findCard(deps.db, partnerId, id);
  if (!row) throw notFound(id);
  if (row.status === "blocked") {
    if (row.blockKey !== idempotencyKey) {
      throw new ApiError("invalid_state_transition", {
        operation: "block",
        object: "card",
        status: row.status,
      });
    }
    await sendPending(deps.db, deps.events, [await blockedEventId(row)]);
    return cardView(row);
  }
  await deps.system.block({ cardReference: row.cardRef, reason });
  const now = new Date().toISOString();
  const eventId = await cardEventId("card.blocked", row.id, now);
  const blocked = await blockCardRow(deps.db, row, { reason, key: idempotencyKey, now }, (b) =>
    cardEvent(eventId, "card.blocked", now, b, cardEventObject(b)),
  );
  // Blocked by a concurrent request meanwhile: answer as if it had come first.
  if (!blocked) return blockCard(deps, partnerId, id, idempotencyKey, reason);
  await sendPending(deps.db, deps.events, [eventId]);
  return cardView(blocked);
}
