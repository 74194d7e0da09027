import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { SANDBOX_ONLY, v1Route } from "../../../platform/http/define";
import { partialAmount } from "../../../platform/http/money-schema";
import { optionalParams } from "../../../platform/http/optional-body";
import type { AppEnv } from "../../../platform/types";
import { DISPUTE_REASONS } from "../model";
import { openSandboxDispute, simulateOutcome } from "../sandbox";
import { DisputeIdParam, DisputeSchema } from "../schemas/dispute";
import { withPayments } from "./deps";

const OpenRequest = z
  .object({
    id: z.uuid().optional(),
    params: z
      .object({
        reason: z.enum(DISPUTE_REASONS).optional().openapi({ description: "Default `general`." }),
        amount: partialAmount("Up to what is captured and not refunded; default all of it."),
      })
      .strict()
      .default({}),
  })
  .openapi("SandboxDisputeRequest");

const openRoute = v1Route(
  {
    product: "payments",
    scope: "payments:write",
    errors: ["invalid_state_transition", "amount_exceeds", "payment_already_disputed"],
  },
  {
    method: "post",
    path: "/v1/sandbox/payments/{id}/dispute",
    operationId: "simulateDispute",
    tags: ["Sandbox"],
    summary: "Open a dispute on a payment",
    description: `The cardholder disputes a captured payment: a \`needs_response\` dispute with evidence due in 7 days, its amount held from your available balance and the contract's dispute fee charged; \`dispute.created\`. A payment with nothing captured (or all of it refunded) is 409 (code 60), an amount above what is disputable 409 (code 61), a second dispute of the same payment 409 (code 210). ${SANDBOX_ONLY}`,
    request: {
      params: DisputeIdParam,
      body: { required: false, content: { "application/json": { schema: OpenRequest } } },
    },
    responses: okResponse("The dispute", DisputeSchema),
  },
);

const SimulateRequest = envelopeRequest(
  z.object({
    outcome: z.enum(["won", "lost"]).openapi({
      description: "The acquirer's decision: `won` returns the held amount to you, `lost` does not.",
    }),
  }),
).openapi("SimulateDisputeRequest");

const simulateRoute = v1Route(
  { product: "payments", scope: "payments:write", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/v1/sandbox/disputes/{id}/simulate",
    operationId: "simulateDisputeOutcome",
    tags: ["Sandbox"],
    summary: "Decide a dispute under review",
    description: `The acquirer decides an \`under_review\` dispute: \`won\` or \`lost\`, with its posting and \`dispute.closed\`. Any other status is 409 (code 60). ${SANDBOX_ONLY}`,
    request: {
      params: DisputeIdParam,
      body: { required: true, content: { "application/json": { schema: SimulateRequest } } },
    },
    responses: okResponse("The dispute", DisputeSchema),
  },
);

export function registerSandboxDisputes(app: OpenAPIHono<AppEnv>) {
  app.openapi(openRoute, async (c) => {
    const { id } = c.req.valid("param");
    const params = optionalParams(c.req.valid("json"));
    const dispute = await openSandboxDispute(withPayments(c), c.get("partner").id, id, params);
    c.get("log").info("dispute opened", { dispute_id: dispute.id, payment_id: id });
    return ok(c, dispute);
  });
  app.openapi(simulateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { outcome } = c.req.valid("json").params;
    const dispute = await simulateOutcome(withPayments(c), c.get("partner").id, id, outcome);
    c.get("log").info("dispute simulated", { dispute_id: id, status: dispute.status });
    return ok(c, dispute);
  });
}
