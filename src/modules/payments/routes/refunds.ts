import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { partialAmount } from "../../../platform/http/money-schema";
import { optionalParams } from "../../../platform/http/optional-body";
import { CURRENCIES } from "../../../platform/lib/money";
import type { AppEnv } from "../../../platform/types";
import { getRefund, refundPayment } from "../payments";
import { paymentDeps } from "./deps";
import { PaymentIdParam } from "./schema";

const REASONS = ["requested_by_customer", "duplicate", "fraudulent"] as const;

export const RefundSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("refund"),
    payment_id: z.string().openapi({ format: "uuid" }),
    amount: z.number().int(),
    currency: z.enum(CURRENCIES),
    status: z.enum(["pending", "succeeded", "failed"]),
    reason: z.enum(REASONS).nullable(),
    failure_reason: z.string().nullable(),
    created_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
  })
  .openapi("Refund");

const CreateRefundRequest = z
  .object({
    id: z.uuid().optional(),
    params: z
      .object({
        amount: partialAmount("Up to what is captured and not yet refunded; default all of it."),
        reason: z.enum(REASONS).optional(),
      })
      .default({}),
  })
  .openapi("CreateRefundRequest");

const createRoute = v1Route(
  { product: "payments", scope: "payments:write", errors: ["invalid_state_transition", "amount_exceeds"] },
  {
    method: "post",
    path: "/v1/payments/{id}/refunds",
    operationId: "createRefund",
    tags: ["Payments"],
    summary: "Refund a payment",
    description:
      "Refunds captured money, in part or in full, as many times as needed but never above what was captured (409, code 61). Posts the refund to the ledger.",
    request: {
      params: PaymentIdParam,
      body: { required: false, content: { "application/json": { schema: CreateRefundRequest } } },
    },
    responses: okResponse("The refund", RefundSchema),
  },
);

const getRoute = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/refunds/{id}",
    operationId: "getRefund",
    tags: ["Payments"],
    summary: "Retrieve a refund",
    description: "A refund: `pending`, `succeeded` or `failed`.",
    request: { params: PaymentIdParam },
    responses: okResponse("The refund", RefundSchema),
  },
);

export function registerRefundRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(createRoute, async (c) => {
    const { id } = c.req.valid("param");
    // No amount (or no body at all): refund everything.
    const refund = await refundPayment(
      paymentDeps(c),
      c.get("partner").id,
      id,
      c.get("idempotencyKey"),
      optionalParams(c.req.valid("json")),
    );
    c.get("log").info("refund created", { payment_id: id, refund_id: refund.id, status: refund.status });
    return ok(c, refund);
  });
  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await getRefund(paymentDeps(c), c.get("partner").id, id));
  });
}
