import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { sendPending } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import { hashSecret, verifySecret } from "../../platform/lib/secret-hash";
import type { PartnerProfile } from "../../platform/types";
import { first6, last4, maskedPan } from "./connector/pan";
import { SANDBOX_SMS_CODE } from "./connector/sandbox";
import type { CardDeps } from "./deps";
import { cardEvent, cardEventId } from "./events";
import { type Card, type CardAttachment, SMS_CODE_MAX_ATTEMPTS } from "./model";
import {
  type AttachmentRow,
  cardRefAttached,
  claimAttachment,
  expireLiveCodes,
  findAttachment,
  findAttachmentByKey,
  findCardBy,
  insertAttachment,
  insertCard,
  recordWrongCode,
  renewAttachment,
  setAttachmentStatus,
} from "./storage";
import { attachmentView, cardEventObject, cardView } from "./views";

/** Six random digits; in the sandbox always `SANDBOX_SMS_CODE`. */
export function attachCode(config: Pick<Config, "ENVIRONMENT">): string {
  if (config.ENVIRONMENT === "sandbox") return SANDBOX_SMS_CODE;
  // Rejection sampling: every code equally likely.
  const limit = 4_294_000_000; // the largest multiple of 10^6 below 2^32
  for (;;) {
    const [n = limit] = crypto.getRandomValues(new Uint32Array(1));
    if (n < limit) return String(n % 1_000_000).padStart(6, "0");
  }
}

const nowIso = () => new Date().toISOString();
const expiryAfter = (config: Config, now: string) =>
  new Date(Date.parse(now) + config.SMS_CODE_TTL_SECONDS * 1000).toISOString();

/** Sends the code; an attachment whose SMS did not go out is `failed` and holds no lock (1006). */
async function sendCode(deps: CardDeps, row: AttachmentRow, code: string): Promise<CardAttachment> {
  let sent = false;
  try {
    sent = await deps.system.sendAttachCode({
      cardReference: row.cardRef,
      phoneNumber: row.phoneNumber,
      code,
    });
  } finally {
    if (!sent) await setAttachmentStatus(deps.db, row.id, "failed", nowIso());
  }
  if (!sent) throw new ApiError("sms_not_sent", {}, { retryable: true });
  return attachmentView(row);
}

/**
 * Starts attaching an existing card: the card system finds the card by its full number
 * (which is kept nowhere: only its first 6 + last 4 and the system's id for it), and an
 * SMS code goes to the phone number. 1008 unknown card, 1011 attached already (to anyone),
 * 1007 a code for this card and phone number is still live, 1006 the SMS was not sent.
 * A retry under the same Idempotency-Key sends a new code for the same attachment.
 */
export async function startAttach(
  deps: CardDeps,
  partner: PartnerProfile,
  idempotencyKey: string,
  params: { card_number: string; phone_number: string },
): Promise<CardAttachment> {
  const existing = await findAttachmentByKey(deps.db, partner.id, idempotencyKey);
  if (existing) return resumeAttach(deps, existing);

  const pan = params.card_number;
  const card = await deps.system.findCard(pan);
  if (!card)
    throw new ApiError("card_not_found", { params: `card_number=${maskedPan(first6(pan), last4(pan))}` });
  if (card.attached || (await cardRefAttached(deps.db, card.reference))) {
    throw new ApiError("card_already_attached");
  }
  const now = nowIso();
  await expireLiveCodes(deps.db, card.reference, params.phone_number, now);
  const code = attachCode(deps.config);
  const row: AttachmentRow = {
    id: uuidv7(),
    partnerId: partner.id,
    idempotencyKey,
    cardRef: card.reference,
    first6: card.first6,
    last4: card.last4,
    holderName: card.holderName,
    expiryMonth: card.expiryMonth,
    expiryYear: card.expiryYear,
    phoneNumber: params.phone_number,
    codeHash: await hashSecret(code, "key"),
    attempts: 0,
    status: "pending",
    expiresAt: expiryAfter(deps.config, now),
    confirmKey: null,
    livemode: partner.environment === "production",
    createdAt: now,
    updatedAt: now,
  };
  if (!(await insertAttachment(deps.db, row))) throw new ApiError("sms_not_expired");
  return sendCode(deps, row, code);
}

/** The same request again after a failure or crash: a new code, unless the attachment moved on. */
async function resumeAttach(deps: CardDeps, row: AttachmentRow): Promise<CardAttachment> {
  if (row.status !== "pending" && row.status !== "failed") return attachmentView(row);
  const now = nowIso();
  await expireLiveCodes(deps.db, row.cardRef, row.phoneNumber, now);
  const code = attachCode(deps.config);
  const renewal = { codeHash: await hashSecret(code, "key"), expiresAt: expiryAfter(deps.config, now), now };
  if (!(await renewAttachment(deps.db, row.id, renewal))) throw new ApiError("sms_not_expired");
  return sendCode(deps, { ...row, ...renewal, status: "pending", attempts: 0, updatedAt: now }, code);
}

const notFound = (id: string) => new ApiError("not_found", { resource: `card attachment ${id}` });
const illegal = (status: string) =>
  new ApiError("invalid_state_transition", { operation: "confirm", object: "card_attachment", status });

/**
 * Checks the SMS code and attaches the card to the partner (`card.attached`). A wrong code
 * is 63 with the attempts left; once none are left, 64. An expired code is 1009. A retry of
 * the successful confirm under its Idempotency-Key answers the card again.
 */
export async function confirmAttach(
  deps: CardDeps,
  partner: PartnerProfile,
  idempotencyKey: string,
  params: { attachment_id: string; code: string },
): Promise<Card> {
  const row = await findAttachment(deps.db, partner.id, params.attachment_id);
  if (!row) throw notFound(params.attachment_id);
  if (row.status === "attached") {
    if (row.confirmKey !== idempotencyKey) throw illegal(row.status);
    return finishAttach(deps, row);
  }
  if (row.status === "exhausted") throw new ApiError("sms_attempts_exhausted");
  if (row.status === "failed") throw illegal(row.status);
  const now = nowIso();
  if (row.status === "expired" || row.expiresAt <= now) {
    if (row.status === "pending") await setAttachmentStatus(deps.db, row.id, "expired", now);
    throw new ApiError("sms_expired");
  }
  if (!(await verifySecret(params.code, row.codeHash, "key"))) {
    const attempts = await recordWrongCode(deps.db, row.id, SMS_CODE_MAX_ATTEMPTS, now);
    // Another confirm moved it on meanwhile: answer from where it is now.
    if (attempts === undefined) return confirmAttach(deps, partner, idempotencyKey, params);
    throw new ApiError("sms_code_invalid", { remaining: Math.max(0, SMS_CODE_MAX_ATTEMPTS - attempts) });
  }
  const claimed = await claimAttachment(deps.db, row.id, { key: idempotencyKey, now });
  if (!claimed) return confirmAttach(deps, partner, idempotencyKey, params);
  return finishAttach(deps, claimed);
}

/** The attached card, created once; 1011 when the card was attached through another attachment first. */
async function finishAttach(deps: CardDeps, row: AttachmentRow): Promise<Card> {
  const id = uuidv7();
  const at = row.updatedAt;
  const eventId = await cardEventId("card.attached", id, at);
  await insertCard(
    deps.db,
    {
      id,
      partnerId: row.partnerId,
      origin: "attached",
      cardRef: row.cardRef,
      attachmentId: row.id,
      first6: row.first6,
      last4: row.last4,
      holderName: row.holderName,
      expiryMonth: row.expiryMonth,
      expiryYear: row.expiryYear,
      phoneNumber: row.phoneNumber,
      status: "active",
      livemode: row.livemode,
      createdAt: at,
      updatedAt: at,
    },
    (card) => cardEvent(eventId, "card.attached", at, card, cardEventObject(card)),
  );
  const card = await findCardBy(deps.db, "attachmentId", row.id);
  if (!card) {
    await setAttachmentStatus(deps.db, row.id, "failed", nowIso());
    throw new ApiError("card_already_attached");
  }
  // The card as stored, by this confirm or an earlier attempt of it: its event as stored.
  await sendPending(deps.db, deps.events, [await cardEventId("card.attached", card.id, card.createdAt)]);
  return cardView(card);
}
