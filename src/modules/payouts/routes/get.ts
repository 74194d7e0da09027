import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { getPayout } from "../payouts";
import { payoutDeps } from "./deps";
import { PayoutIdParam, PayoutSchema } from "./schema";

const route = v1Route(
  { product: "payouts", scope: "payouts:read" },
  {
    method: "get",
    path: "/v1/payouts/{id}",
    operationId: "getPayout",
    tags: ["Payouts"],
    summary: "Retrieve a payout",
    description: "The payout's current state, from its Durable Object.",
    request: { params: PayoutIdParam },
    responses: okResponse("The payout", PayoutSchema),
  },
);

export function registerGetPayout(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await getPayout(payoutDeps(c), c.get("partner").id, id));
  });
}
