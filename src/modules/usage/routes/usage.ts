import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { usageCsv, usageReport, usageSpan } from "../usage-report";
import { UsageQuery, UsageSchema } from "./schema";

const read = { product: null, scope: "usage:read" } as const;

const DEFINITIONS =
  "Days are UTC; `from` and `to` are included (default: the last 7 days, at most 90; at most 31 with `granularity=hour`). `product` keeps one product's calls. A call is a recorded /v1 request, refusals included; an error is an answer of 400 and above; latencies are the gateway's, p50 and p99 by nearest rank. `billable` is what metering counted for billing (docs/metering.md): answered calls, never refusals or idempotent replays.";

const json = v1Route(read, {
  method: "get",
  path: "/v1/usage",
  operationId: "getUsage",
  tags: ["Usage"],
  summary: "Your usage and your plan's limits",
  description: `Calls, errors (4xx and 5xx), error rate, p50/p99 latency and billable calls per day (or hour) and product, per day and in total, from your request log; and your plan's limits beside today's consumption. ${DEFINITIONS}`,
  request: { query: UsageQuery },
  responses: okResponse("Your usage", UsageSchema),
});

const csv = v1Route(read, {
  method: "get",
  path: "/v1/usage.csv",
  operationId: "getUsageCsv",
  tags: ["Usage"],
  summary: "Your usage per day and product, as CSV",
  description: `The \`data\` rows of GET /v1/usage as a CSV attachment: \`date,product,calls,errors,errors_4xx,errors_5xx,error_rate,p50_latency_ms,p99_latency_ms,billable\` (per hour, \`hour\` after \`date\`), a header line first, CRLF line ends. ${DEFINITIONS} Errors answer the JSON envelope.`,
  request: { query: UsageQuery },
  responses: {
    200: {
      description: "The rows, one per day and product with calls",
      headers: {
        "Content-Disposition": {
          description: '`attachment; filename="portico-usage-<from>-<to>.csv"`',
          schema: { type: "string" },
        },
      },
      content: {
        "text/csv": {
          schema: z.string().openapi({
            example:
              "date,product,calls,errors,errors_4xx,errors_5xx,error_rate,p50_latency_ms,p99_latency_ms,billable\r\n",
          }),
        },
      },
    },
  },
});

export function registerUsageRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(json, async (c) => {
    const now = Date.now();
    const q = c.req.valid("query");
    const report = await usageReport(c.get("services").db, c.get("partner"), usageSpan(q, now), now, {
      granularity: q.granularity,
      product: q.product,
    });
    return ok(c, report);
  });
  app.openapi(csv, async (c) => {
    const now = Date.now();
    const q = c.req.valid("query");
    const span = usageSpan(q, now);
    const report = await usageReport(c.get("services").db, c.get("partner"), span, now, {
      granularity: q.granularity,
      product: q.product,
    });
    return c.body(usageCsv(report.data, q.granularity), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="portico-usage-${span.from}-${span.to}.csv"`,
    }) as never;
  });
}
