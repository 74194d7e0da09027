import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { DISPUTE_STATUSES } from "../model";
import { DisputeIdParam, DisputeSchema } from "../schemas/dispute";
import { listDisputes, readDispute } from "../service";

const Query = z.object({
  status: z
    .enum(DISPUTE_STATUSES)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
  payment_id: z
    .uuid()
    .optional()
    .openapi({ param: { name: "payment_id", in: "query" } }),
  ...pageQuery,
});

const listRoute = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/disputes",
    operationId: "listDisputes",
    tags: ["Payments"],
    summary: "List disputes",
    description:
      "Your disputes, newest first. Filter by `status` or `payment_id`; page with `starting_after` (the last id of the previous page).",
    request: { query: Query },
    responses: { 200: pageResponse(DisputeSchema, "A page of disputes") },
  },
);

const getRoute = v1Route(
  { product: "payments", scope: "payments:read" },
  {
    method: "get",
    path: "/v1/disputes/{id}",
    operationId: "getDispute",
    tags: ["Payments"],
    summary: "Retrieve a dispute",
    description: "A dispute with its evidence and its documents' descriptions.",
    request: { params: DisputeIdParam },
    responses: okResponse("The dispute", DisputeSchema),
  },
);

export function registerReadDisputes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await listDisputes(c.get("services").db, c.get("partner").id, {
      ...pageOptions(q),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.payment_id !== undefined ? { paymentId: q.payment_id } : {}),
    });
    return ok(c, page);
  });
  app.openapi(getRoute, async (c) => {
    return ok(c, await readDispute(c.get("services").db, c.get("partner").id, c.req.valid("param").id));
  });
}
