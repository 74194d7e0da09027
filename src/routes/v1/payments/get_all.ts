import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { envelopeResponse, ok } from "../../../envelope";
import { PAYMENT_STATUSES } from "../../../services/payment-state";
import { listPayments } from "../../../services/payments";
import type { AppEnv } from "../../../types";
import { v1Route } from "../../define";
import { PaymentSchema } from "./schema";

const Query = z.object({
  status: z
    .enum(PAYMENT_STATUSES)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .openapi({ param: { name: "limit", in: "query" } }),
  starting_after: z
    .uuid()
    .optional()
    .openapi({ param: { name: "starting_after", in: "query" } }),
});

const route = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/payments",
    tags: ["Payments"],
    summary: "List payments",
    description:
      "Your payments, newest first. Filter by `status`; page with `starting_after` (the last id of the previous page). Served from a projection that follows each payment's state.",
    request: { query: Query },
    responses: {
      200: {
        description: "A page of payments",
        content: {
          "application/json": {
            schema: envelopeResponse(z.object({ data: z.array(PaymentSchema), has_more: z.boolean() })),
          },
        },
      },
    },
  },
);

export function registerListPayments(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const page = await listPayments(c.var.services.db, c.var.partner.id, {
      limit: q.limit,
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.starting_after !== undefined ? { startingAfter: q.starting_after } : {}),
    });
    return ok(c, page);
  });
}
