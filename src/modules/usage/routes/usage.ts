import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { usageCsv, usageReport, usageSpan } from "../usage-report";
import { UsageQuery, UsageSchema } from "./schema";

const read = { product: null, scope: "usage:read" } as const;

const DEFINITIONS =
  "Days are UTC; `from` and `to` are included (default: the last 7 days, at most 90). A call is a recorded /v1 request, refusals included; an error is an answer of 400 and above; latencies are the gateway's, p50 and p99 by nearest rank.";

const json = v1Route(read, {
  method: "get",
  path: "/v1/usage",
  operationId: "getUsage",
  tags: ["Usage"],
  summary: "Your usage and your plan's limits",
  description: `Calls, errors (4xx and 5xx), error rate and p50/p99 latency per day and product, per day and in total, from your request log; and your plan's limits beside today's consumption. ${DEFINITIONS}`,
  request: { query: UsageQuery },
  responses: okResponse("Your usage", UsageSchema),
});

const csv = v1Route(read, {
  method: "get",
  path: "/v1/usage.csv",
  operationId: "getUsageCsv",
  tags: ["Usage"],
  summary: "Your usage per day and product, as CSV",
  description: `The \`data\` rows of GET /v1/usage as a CSV attachment: \`date,product,calls,errors,errors_4xx,errors_5xx,error_rate,p50_latency_ms,p99_latency_ms\`, a header line first, CRLF line ends. ${DEFINITIONS} Errors answer the JSON envelope.`,
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
              "date,product,calls,errors,errors_4xx,errors_5xx,error_rate,p50_latency_ms,p99_latency_ms\r\n",
          }),
        },
      },
    },
  },
});

export function registerUsageRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(json, async (c) => {
    const now = Date.now();
    const report = await usageReport(
      c.get("services").db,
      c.get("partner"),
      usageSpan(c.req.valid("query"), now),
      now,
    );
    return ok(c, report);
  });
  app.openapi(csv, async (c) => {
    const now = Date.now();
    const span = usageSpan(c.req.valid("query"), now);
    const report = await usageReport(c.get("services").db, c.get("partner"), span, now);
    return c.body(usageCsv(report.data), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="portico-usage-${span.from}-${span.to}.csv"`,
    }) as never;
  });
}
