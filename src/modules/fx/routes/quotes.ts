import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { createQuote } from "../fx";
import { fxDeps } from "./deps";
import { CreateQuoteRequest, QuoteSchema } from "./schema";

const route = v1Route(
  { product: "fx", scope: "fx:write", errors: ["upstream_unavailable", "upstream_empty", "upstream_failed"] },
  {
    method: "post",
    path: "/v1/fx/quotes",
    operationId: "createFxQuote",
    tags: ["FX"],
    summary: "Quote a conversion",
    description:
      "Fixes a rate and both amounts for 30 s (`expires_at`). Give `sell_amount` (you receive `buy_amount`, rounded down) or `buy_amount` (you pay `sell_amount`, rounded up): roundings are in the bank's favour, in minor units with each currency's ISO 4217 exponent.",
    request: { body: { required: true, content: { "application/json": { schema: CreateQuoteRequest } } } },
    responses: okResponse("The quote", QuoteSchema),
  },
);

export function registerFxQuotes(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { params } = c.req.valid("json");
    const quote = await createQuote(fxDeps(c), c.get("partner"), c.get("idempotencyKey"), params);
    c.get("log").info("fx quote created", { quote_id: quote.id });
    return ok(c, quote, 200);
  });
}
