import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { getPayment } from "../payments";
import { paymentDeps } from "./deps";
import { PaymentIdParam, PaymentSchema } from "./schema";

const route = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/payments/{id}",
    operationId: "getPayment",
    tags: ["Payments"],
    summary: "Retrieve a payment",
    description: "The payment's current state, from its Durable Object.",
    request: { params: PaymentIdParam },
    responses: okResponse("The payment", PaymentSchema),
  },
);

export function registerGetPayment(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await getPayment(paymentDeps(c), c.get("partner").id, id));
  });
}
