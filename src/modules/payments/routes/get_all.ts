import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { listPayments } from "../payments";
import { PAYMENT_STATUSES } from "../state";
import { PaymentSchema } from "./schema";

const Query = z.object({
  status: z
    .enum(PAYMENT_STATUSES)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
  ...pageQuery,
});

const route = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/payments",
    operationId: "listPayments",
    tags: ["Payments"],
    summary: "List payments",
    description:
      "Your payments, newest first. Filter by `status`; page with `starting_after` (the last id of the previous page). Served from a projection that follows each payment's state.",
    request: { query: Query },
    responses: { 200: pageResponse(PaymentSchema, "A page of payments") },
  },
);

export function registerListPayments(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const page = await listPayments(c.get("services").db, c.get("partner").id, {
      ...pageOptions(q),
      ...(q.status !== undefined ? { status: q.status } : {}),
    });
    return ok(c, page);
  });
}
