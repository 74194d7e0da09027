import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { slaMonth, slaReport } from "./report";
import { SlaMonthQuery, SlaSchema } from "./schema";

const get = v1Route(
  { product: null, scope: "usage:read" },
  {
    method: "get",
    path: "/v1/sla",
    operationId: "getSla",
    tags: ["Usage"],
    summary: "Your service levels for a month",
    description:
      "Your tier's availability and p95 latency targets, what your request log measured over the calendar month (UTC), met or missed per target and the service credit earned (docs/sla.md). Availability is the share of calls answered without a server-side error (5xx, the limiter's own 503 included); answers of 429 are left out. p95 is by nearest rank. A month without calls is not measured and breaches nothing.",
    request: { query: SlaMonthQuery },
    responses: okResponse("The month's service levels", SlaSchema),
  },
);

export function registerSlaRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(get, async (c) => {
    const now = Date.now();
    const partner = c.get("partner");
    const month = slaMonth(c.req.valid("query").month, now);
    return ok(c, await slaReport(c.get("services").db, partner.id, partner.tier, month, now));
  });
}
