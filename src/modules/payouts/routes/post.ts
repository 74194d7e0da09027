import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { createPayout } from "../payouts";
import { payoutDeps } from "./deps";
import { CreatePayoutRequest, PayoutSchema } from "./schema";

const route = v1Route(
  { product: "payouts", scope: "payouts:write", errors: ["insufficient_balance"] },
  {
    method: "post",
    path: "/v1/payouts",
    operationId: "createPayout",
    tags: ["Payouts"],
    summary: "Create a payout",
    description:
      "Queues a payout to a tokenized bank account and holds its amount from the available balance at once; it then moves `queued → sent → paid` or `failed` (a failed payout returns its funds). A payout can never take the available balance below zero, also when many run at once: 409 (code 62) and nothing is held. Requires an Idempotency-Key; a refusal is replayed under the same key, so use a new key after topping up.",
    request: { body: { required: true, content: { "application/json": { schema: CreatePayoutRequest } } } },
    responses: okResponse("The payout, queued", PayoutSchema),
  },
);

export function registerCreatePayout(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { params } = c.req.valid("json");
    const payout = await createPayout(payoutDeps(c), c.get("partner"), c.get("idempotencyKey"), params);
    c.get("log").info("payout created", { payout_id: payout.id, status: payout.status });
    return ok(c, payout);
  });
}
