import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { SANDBOX_ONLY, v1Route } from "../../../platform/http/define";
import { optionalParams } from "../../../platform/http/optional-body";
import type { AppEnv } from "../../../platform/types";
import { simulatePayout } from "../payouts";
import { payoutDeps } from "./deps";
import { PayoutIdParam, PayoutSchema } from "./schema";

const SimulatePayoutRequest = z
  .object({
    id: z.uuid().optional(),
    params: z
      .object({
        outcome: z.enum(["paid", "failed"]).optional().openapi({
          description: "Default: the destination's own outcome (dest_tok_ok paid, dest_tok_fail failed).",
        }),
      })
      .default({}),
  })
  .openapi("SimulatePayoutRequest");

const simulatePayoutRoute = v1Route(
  { product: "payouts", scope: "payouts:write", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/v1/sandbox/payouts/{id}/simulate",
    operationId: "simulatePayout",
    tags: ["Sandbox"],
    summary: "Simulate a payout's outcome now",
    description: `Sends a \`queued\` payout and settles it at once instead of after the sandbox rails' delay: \`paid\`, or \`failed\` with its funds returned. A payout already paid or failed is 409 (code 60). ${SANDBOX_ONLY}`,
    request: {
      params: PayoutIdParam,
      body: { required: false, content: { "application/json": { schema: SimulatePayoutRequest } } },
    },
    responses: okResponse("The payout", PayoutSchema),
  },
);

export function registerSimulatePayout(app: OpenAPIHono<AppEnv>) {
  app.openapi(simulatePayoutRoute, async (c) => {
    const { id } = c.req.valid("param");
    // No outcome given (or no body at all): the destination's own.
    const outcome = optionalParams(c.req.valid("json")).outcome ?? "natural";
    const payout = await simulatePayout(payoutDeps(c), c.get("partner").id, id, outcome);
    c.get("log").info("payout simulated", { payout_id: payout.id, status: payout.status });
    return ok(c, payout);
  });
}
