import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { createPayment } from "../payments";
import { clientSignalsOf } from "./client-signals";
import { paymentDeps } from "./deps";
import { CreatePaymentRequest, PaymentSchema } from "./schema";

const route = v1Route(
  {
    product: "payments",
    scope: "payments:write",
    errors: ["not_found", "payment_method_token_used", "payment_method_token_expired"],
  },
  {
    method: "post",
    path: "/v1/payments",
    operationId: "createPayment",
    tags: ["Payments"],
    summary: "Create a payment",
    description:
      "Authorizes the payment (and captures it unless `capture` is false). A bank decline is an outcome: the payment is returned with status `failed` and its `failure`. Requires an Idempotency-Key; retries with the same key return the same payment.",
    request: { body: { required: true, content: { "application/json": { schema: CreatePaymentRequest } } } },
    responses: okResponse("The payment", PaymentSchema),
  },
);

export function registerCreatePayment(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { params } = c.req.valid("json");
    const payment = await createPayment(
      paymentDeps(c),
      c.get("partner"),
      c.get("idempotencyKey"),
      params,
      clientSignalsOf(c),
    );
    c.get("log").info("payment created", { payment_id: payment.id, status: payment.status });
    return ok(c, payment);
  });
}
