import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { optionalParams } from "../../../platform/http/optional-body";
import type { AppEnv } from "../../../platform/types";
import { blockCard } from "../cards";
import { cardDeps } from "./deps";
import { BlockCardRequest, CardIdParam, CardSchema } from "./schema";

const route = v1Route(
  {
    product: "cards",
    scope: "cards:write",
    personalData: true,
    errors: ["invalid_state_transition", "upstream_unavailable", "upstream_empty", "upstream_failed"],
  },
  {
    method: "post",
    path: "/v1/cards/{id}/block",
    operationId: "blockCard",
    tags: ["Cards"],
    summary: "Block a card",
    description:
      "Blocks the card at the card system (`card.blocked`); blocking is final. Optional `reason` (default `requested_by_customer`). A card blocked already is 409 (code 60) and changes nothing.",
    request: {
      params: CardIdParam,
      body: { required: false, content: { "application/json": { schema: BlockCardRequest } } },
    },
    responses: okResponse("The blocked card", CardSchema),
  },
);

export function registerBlockCard(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    // With no body at all the schema's default reason is not applied: the same default.
    const reason = optionalParams(c.req.valid("json")).reason ?? "requested_by_customer";
    const card = await blockCard(cardDeps(c), c.get("partner").id, id, c.get("idempotencyKey"), reason);
    c.get("log").info("card blocked", { card_id: card.id });
    return ok(c, card);
  });
}
