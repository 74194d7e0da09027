import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { getRequest, listRequests } from "../requests";
import { ListRequestsQuery, RequestDetailSchema, RequestIdParam, RequestLogEntrySchema } from "./schema";

const read = { product: null, scope: "usage:read" } as const;

const list = v1Route(read, {
  method: "get",
  path: "/v1/requests",
  operationId: "listRequests",
  tags: ["Usage"],
  summary: "Your request log",
  description:
    "Your requests to /v1, refusals included, newest first, within a few seconds of their answer. Filters combine: `status` or `outcome`, `method`, `route` or `product`, `from`/`to`, `request_id`, `idempotency_key`. Reads of the log and of your usage are left out unless a filter names them (`product=usage`, their `route`, a `request_id`). Kept 30 days in the sandbox, 90 in production.",
  request: { query: ListRequestsQuery },
  responses: { 200: pageResponse(RequestLogEntrySchema, "A page of requests") },
});

// The sandbox's bodies may hold personal data the contract licenses: reading one is audited.
const get = v1Route(
  { ...read, personalData: true },
  {
    method: "get",
    path: "/v1/requests/{id}",
    operationId: "getRequest",
    tags: ["Usage"],
    summary: "One request of your log",
    description:
      "The request with, in the sandbox, what was kept of its request and response bodies (redacted, at most 16 KiB each). Production keeps no bodies.",
    request: { params: RequestIdParam },
    responses: okResponse("The request", RequestDetailSchema),
  },
);

export function registerRequestRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const q = c.req.valid("query");
    const partner = c.get("partner");
    const page = await listRequests(c.get("services").db, partner.id, partner.environment === "production", {
      ...pageOptions(q),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.outcome !== undefined ? { outcome: q.outcome } : {}),
      ...(q.method !== undefined ? { method: q.method } : {}),
      ...(q.route !== undefined ? { route: q.route } : {}),
      ...(q.product !== undefined ? { product: q.product } : {}),
      ...(q.from !== undefined ? { from: new Date(q.from).toISOString() } : {}),
      ...(q.to !== undefined ? { to: new Date(q.to).toISOString() } : {}),
      ...(q.request_id !== undefined ? { requestId: q.request_id } : {}),
      ...(q.idempotency_key !== undefined ? { idempotencyKey: q.idempotency_key } : {}),
    });
    return ok(c, page);
  });
  app.openapi(get, async (c) => {
    const partner = c.get("partner");
    const request = await getRequest(
      c.get("services").db,
      partner.id,
      partner.environment === "production",
      c.req.valid("param").id,
    );
    return ok(c, request);
  });
}
