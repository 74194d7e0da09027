import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../platform/types";
import { prefersHtml } from "./accept";
import { STATUS_CSS } from "./assets/status-css";
import { statusReport } from "./checks";
import { STATUS_CSP, STATUS_CSS_PATH, statusPage } from "./page";
import { StatusReportSchema } from "./schema";

const StatusPageSchema = z.string().openapi({ description: "The same report as a page for people." });

const content = {
  "application/json": { schema: StatusReportSchema },
  "text/html": { schema: StatusPageSchema },
};

function documentStatus(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/status",
    operationId: "getStatus",
    tags: ["Status"],
    summary: "Gateway status",
    description:
      "Probes each component the gateway depends on (database, Durable Objects, queue producers, the rate limiter, the bank connectors' circuit breakers), concurrently and each with a deadline of a few hundred milliseconds. JSON by default; a browser (`Accept` ranking `text/html` above JSON) gets the same report as a page. No authentication; nothing secret or partner-specific in it.",
    security: [],
    responses: {
      200: { description: "`operational` or `degraded`: the gateway serves requests.", content },
      503: { description: "`down`: the database does not answer.", content },
    },
  });
}

/** Never cached; the answer depends on Accept, so caches must key on it (nosniff: safe-defaults.ts). */
function commonHeaders(c: Context<AppEnv>) {
  c.header("Cache-Control", "no-store");
  c.header("Vary", "Accept");
}

/** /status: for partners (a page) and monitors (JSON), from the same probes. */
export function registerStatusRoute(app: OpenAPIHono<AppEnv>) {
  documentStatus(app);

  app.get("/status", async function status(c) {
    const report = await statusReport(c.env, c.get("services"));
    const code = report.status === "down" ? 503 : 200;
    commonHeaders(c);
    if (!prefersHtml(c.req.header("Accept"))) return c.json(report, code);
    c.header("Content-Type", "text/html; charset=utf-8");
    c.header("Content-Security-Policy", STATUS_CSP);
    return c.body(statusPage(report), code);
  });

  app.get(STATUS_CSS_PATH, function statusCss(c) {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Content-Security-Policy", STATUS_CSP);
    c.header("Cache-Control", "public, max-age=300");
    return c.body(STATUS_CSS);
  });
}
