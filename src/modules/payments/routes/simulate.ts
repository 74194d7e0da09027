import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { optionalParams } from "../../../platform/http/optional-body";
import type { AppEnv } from "../../../platform/types";
import { simulatePayout } from "../../payouts/payouts";
import { payoutDeps } from "../../payouts/routes/deps";
import { PayoutIdParam, PayoutSchema } from "../../payouts/routes/schema";
import { operatePayment } from "../payments";
import { paymentDeps } from "./deps";
import { PaymentIdParam, PaymentSchema } from "./schema";

const SANDBOX_NOTE = "Sandbox only: the route does not exist in production (404, code 31).";

const SimulatePaymentRequest = envelopeRequest(
  z.object({
    outcome: z.enum(["succeeded", "failed"]).openapi({
      description:
        "What the customer's bank answered: `succeeded` authorizes (and captures, when the payment captures), `failed` fails it.",
    }),
  }),
).openapi("SimulatePaymentRequest");

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

const simulatePaymentRoute = v1Route(
  { product: "payments", scope: "payments:write", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/v1/sandbox/payments/{id}/simulate",
    operationId: "simulatePayment",
    tags: ["Sandbox"],
    summary: "Simulate a payment's asynchronous outcome",
    description: `The customer finishes (or abandons) an A2A redirect or a QR payment: a \`pending\` payment succeeds or fails, with its ledger posting and event. Any other status is 409 (code 60). ${SANDBOX_NOTE}`,
    request: {
      params: PaymentIdParam,
      body: { required: true, content: { "application/json": { schema: SimulatePaymentRequest } } },
    },
    responses: okResponse("The payment", PaymentSchema),
  },
);

const simulatePayoutRoute = v1Route(
  { product: "payouts", scope: "payouts:write", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/v1/sandbox/payouts/{id}/simulate",
    operationId: "simulatePayout",
    tags: ["Sandbox"],
    summary: "Simulate a payout's outcome now",
    description: `Sends a \`queued\` payout and settles it at once instead of after the sandbox rails' delay: \`paid\`, or \`failed\` with its funds returned. A payout already paid or failed is 409 (code 60). ${SANDBOX_NOTE}`,
    request: {
      params: PayoutIdParam,
      body: { required: false, content: { "application/json": { schema: SimulatePayoutRequest } } },
    },
    responses: okResponse("The payout", PayoutSchema),
  },
);

export function registerSandboxRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(simulatePaymentRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { params } = c.req.valid("json");
    const operation = { op: "simulate", outcome: params.outcome } as const;
    const payment = await operatePayment(
      paymentDeps(c),
      c.var.partner.id,
      id,
      operation,
      c.var.idempotencyKey,
    );
    c.var.log.info("payment simulated", { payment_id: payment.id, status: payment.status });
    return ok(c, payment);
  });

  app.openapi(simulatePayoutRoute, async (c) => {
    const { id } = c.req.valid("param");
    // No outcome given (or no body at all): the destination's own.
    const outcome = optionalParams(c.req.valid("json")).outcome ?? "natural";
    const payout = await simulatePayout(payoutDeps(c), c.var.partner.id, id, outcome);
    c.var.log.info("payout simulated", { payout_id: payout.id, status: payout.status });
    return ok(c, payout);
  });
}
