import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { SANDBOX_ONLY, v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { operatePayment } from "../payments";
import { paymentDeps } from "./deps";
import { PaymentIdParam, PaymentSchema } from "./schema";

const SimulatePaymentRequest = envelopeRequest(
  z.object({
    outcome: z.enum(["succeeded", "failed"]).openapi({
      description:
        "What the customer's bank answered: `succeeded` authorizes (and captures, when the payment captures), `failed` fails it.",
    }),
  }),
).openapi("SimulatePaymentRequest");

const simulatePaymentRoute = v1Route(
  { product: "payments", scope: "payments:write", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/v1/sandbox/payments/{id}/simulate",
    operationId: "simulatePayment",
    tags: ["Sandbox"],
    summary: "Simulate a payment's asynchronous outcome",
    description: `The customer finishes (or abandons) an A2A redirect or a QR payment: a \`pending\` payment succeeds or fails, with its ledger posting and event. Any other status is 409 (code 60). ${SANDBOX_ONLY}`,
    request: {
      params: PaymentIdParam,
      body: { required: true, content: { "application/json": { schema: SimulatePaymentRequest } } },
    },
    responses: okResponse("The payment", PaymentSchema),
  },
);

export function registerSimulatePayment(app: OpenAPIHono<AppEnv>) {
  app.openapi(simulatePaymentRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { params } = c.req.valid("json");
    const operation = { op: "simulate", outcome: params.outcome } as const;
    const payment = await operatePayment(
      paymentDeps(c),
      c.get("partner").id,
      id,
      operation,
      c.get("idempotencyKey"),
    );
    c.get("log").info("payment simulated", { payment_id: payment.id, status: payment.status });
    return ok(c, payment);
  });
}
