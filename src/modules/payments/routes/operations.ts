import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { partialAmount } from "../../../platform/http/money-schema";
import { optionalParams } from "../../../platform/http/optional-body";
import type { AppEnv } from "../../../platform/types";
import type { Operation } from "../model";
import { operatePayment } from "../payments";
import { paymentDeps } from "./deps";
import { PaymentIdParam, PaymentSchema } from "./schema";

const ConfirmRequest = z
  .object({
    id: z.uuid().optional(),
    params: z.object({
      authentication_result: z
        .enum(["success", "failure", "canceled"])
        .openapi({ description: "What the customer's bank reported for 3-D Secure." }),
    }),
  })
  .openapi("ConfirmPaymentRequest");

const CaptureRequest = z
  .object({
    id: z.uuid().optional(),
    params: z
      .object({
        amount: partialAmount("Up to `amount_capturable`; default all of it. The rest is released."),
      })
      .default({}),
  })
  .openapi("CapturePaymentRequest");

const CancelRequest = z
  .object({ id: z.uuid().optional(), params: z.object({}).default({}) })
  .openapi("CancelPaymentRequest");

/** The fields any of the three bodies may carry, for the one handler below (each reads its own). */
type OperationParams = Partial<
  z.output<typeof ConfirmRequest>["params"] & z.output<typeof CaptureRequest>["params"]
>;

const operations = [
  {
    op: "confirm",
    operationId: "confirmPayment",
    schema: ConfirmRequest,
    summary: "Confirm 3-D Secure",
    description:
      "Reports the 3-D Secure result of a payment in `requires_action`: success authorizes (and captures), failure fails it, canceled cancels it.",
  },
  {
    op: "capture",
    operationId: "capturePayment",
    schema: CaptureRequest,
    summary: "Capture a payment",
    description:
      "Captures an authorized payment, in full or in part; the uncaptured rest is released. Posts the capture to the ledger.",
  },
  {
    op: "cancel",
    operationId: "cancelPayment",
    schema: CancelRequest,
    summary: "Cancel a payment",
    description: "Voids a payment not yet captured (requires_action, pending or authorized).",
  },
] as const;

export function registerPaymentOperations(app: OpenAPIHono<AppEnv>) {
  for (const spec of operations) {
    const route = v1Route(
      {
        product: "payments",
        scope: "payments:write",
        errors:
          spec.op === "capture"
            ? ["invalid_state_transition", "amount_exceeds", "payment_under_review"]
            : ["invalid_state_transition"],
      },
      {
        method: "post",
        path: `/v1/payments/{id}/${spec.op}`,
        operationId: spec.operationId,
        tags: ["Payments"],
        summary: spec.summary,
        description: `${spec.description} An illegal transition is 409 (code 60) and changes nothing.`,
        request: {
          params: PaymentIdParam,
          body: { required: spec.op === "confirm", content: { "application/json": { schema: spec.schema } } },
        },
        responses: okResponse("The payment", PaymentSchema),
      },
    );
    app.openapi(route, async (c) => {
      const { id } = c.req.valid("param");
      const params: OperationParams = optionalParams(c.req.valid("json"));
      const operation: Operation =
        spec.op === "confirm"
          ? { op: "confirm", result: params.authentication_result ?? "failure" }
          : spec.op === "capture"
            ? { op: "capture", ...(params.amount !== undefined ? { amount: params.amount } : {}) }
            : { op: "cancel" };
      const payment = await operatePayment(
        paymentDeps(c),
        c.get("partner").id,
        id,
        operation,
        c.get("idempotencyKey"),
      );
      c.get("log").info(`payment ${spec.op}`, { payment_id: payment.id, status: payment.status });
      return ok(c, payment);
    });
  }
}
