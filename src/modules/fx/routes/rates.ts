import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { listRates } from "../fx";
import { fxDeps } from "./deps";
import { RatesQuery, RatesSchema } from "./schema";

const route = v1Route(
  { product: "fx", scope: "fx:read", errors: ["upstream_unavailable", "upstream_empty", "upstream_failed"] },
  {
    method: "get",
    path: "/v1/fx/rates",
    operationId: "listFxRates",
    tags: ["FX"],
    summary: "Exchange rates",
    description:
      "The rate of every pair the bank converts, as decimal strings: units of the buy currency per one unit of the sell currency, the bank's spread included. Indicative: a quote fixes a rate for 30 s.",
    request: { query: RatesQuery },
    responses: okResponse("The rates", RatesSchema),
  },
);

export function registerFxRates(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => ok(c, await listRates(fxDeps(c), c.req.valid("query")), 200));
}
