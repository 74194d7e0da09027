import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { confirmAttach, startAttach } from "../attach";
import { cardDeps } from "./deps";
import { AttachCardRequest, CardAttachmentSchema, CardSchema, ConfirmAttachRequest } from "./schema";

const attachRoute = v1Route(
  {
    product: "cards",
    scope: "cards:write",
    personalData: true,
    errors: [
      "card_not_found",
      "card_already_attached",
      "sms_not_expired",
      "sms_not_sent",
      "upstream_unavailable",
      "upstream_empty",
      "upstream_failed",
    ],
  },
  {
    method: "post",
    path: "/v1/cards/attach",
    operationId: "attachCard",
    tags: ["Cards"],
    summary: "Attach an existing card: send the SMS code",
    description:
      "Finds the card by its full number (kept nowhere: only its first 6 and last 4 digits) and sends an SMS code to the phone number; confirm it before `expires_at`. Errors: 1008 the bank knows no such card, 1011 the card is attached already (to anyone), 1007 a code for this card and phone number is still live (confirm it or wait until it expires), 1006 the SMS could not be sent. Requires an Idempotency-Key; a retry sends a new code for the same attachment.",
    request: { body: { required: true, content: { "application/json": { schema: AttachCardRequest } } } },
    responses: okResponse("The attachment, waiting for its code", CardAttachmentSchema),
  },
);

const confirmRoute = v1Route(
  {
    product: "cards",
    scope: "cards:write",
    personalData: true,
    errors: [
      "invalid_state_transition",
      "sms_code_invalid",
      "sms_attempts_exhausted",
      "sms_expired",
      "card_already_attached",
      "upstream_unavailable",
      "upstream_empty",
      "upstream_failed",
    ],
  },
  {
    method: "post",
    path: "/v1/cards/attach/confirm",
    operationId: "confirmCardAttachment",
    tags: ["Cards"],
    summary: "Attach an existing card: confirm the SMS code",
    description:
      "Checks the code and attaches the card to you (`card.attached`). A wrong code is 422 (code 63) with the attempts left; after the last one the attachment is spent, 409 (code 64): start a new one once the code has expired. An expired code is 410 (code 1009). An attachment confirmed already is 409 (code 60), except for a retry under the confirming Idempotency-Key.",
    request: { body: { required: true, content: { "application/json": { schema: ConfirmAttachRequest } } } },
    responses: okResponse("The attached card", CardSchema),
  },
);

export function registerCardAttachRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(attachRoute, async (c) => {
    const { params } = c.req.valid("json");
    const attachment = await startAttach(cardDeps(c), c.get("partner"), c.get("idempotencyKey"), params);
    c.get("log").info("card attach code sent", { attachment_id: attachment.id });
    return ok(c, attachment);
  });

  app.openapi(confirmRoute, async (c) => {
    const { params } = c.req.valid("json");
    const card = await confirmAttach(cardDeps(c), c.get("partner"), c.get("idempotencyKey"), params);
    c.get("log").info("card attached", { card_id: card.id, attachment_id: params.attachment_id });
    return ok(c, card);
  });
}
