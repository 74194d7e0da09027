import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { getCard } from "../cards";
import { CardIdParam, CardSchema } from "./schema";

const route = v1Route(
  { product: "cards", scope: "cards:read", personalData: true },
  {
    method: "get",
    path: "/v1/cards/{id}",
    operationId: "getCard",
    tags: ["Cards"],
    summary: "Retrieve a card",
    description:
      "One of your cards, issued or attached: first 6 and last 4 digits only, never the full number.",
    request: { params: CardIdParam },
    responses: okResponse("The card", CardSchema),
  },
);

export function registerGetCard(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await getCard(c.get("services").db, c.get("partner").id, id));
  });
}
