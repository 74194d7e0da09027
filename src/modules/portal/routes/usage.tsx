/** @jsxImportSource hono/jsx */

import type { Hono } from "hono";
import { flashOf, statusOf } from "../../../platform/web/answer";
import { callApi } from "../api";
import { type LoggedRequest, type RequestFilters, RequestPage, RequestsPage } from "../pages/requests";
import { UsagePage, type UsageView } from "../pages/usage";
import { frameOf, type PortalEnv, requireSession } from "./context";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The range asked for, as the API takes it (its defaults when absent: the last 7 days). */
function range(q: Record<string, string>) {
  const to = DAY.test(q.to ?? "") ? (q.to as string) : new Date().toISOString().slice(0, 10);
  const from = DAY.test(q.from ?? "")
    ? (q.from as string)
    : new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

export function registerUsage(portal: Hono<PortalEnv>) {
  portal.get("/usage", requireSession(), async (c) => {
    const { from, to } = range(c.req.query());
    const answer = await callApi<UsageView>(c, c.get("session"), "GET", "/v1/usage", {
      query: new URLSearchParams({ from, to }),
    });
    return c.html(
      <UsagePage
        {...frameOf(c, "Usage")}
        usage={answer.result}
        from={from}
        to={to}
        {...(answer.error ? { flash: flashOf(answer, "") } : {})}
      />,
      statusOf(answer),
    );
  });

  portal.get("/usage.csv", requireSession(), async (c) => {
    const { from, to } = range(c.req.query());
    const answer = await callApi(c, c.get("session"), "GET", "/v1/usage.csv", {
      query: new URLSearchParams({ from, to }),
    });
    if (answer.status >= 400)
      return c.html(
        <UsagePage
          {...frameOf(c, "Usage")}
          usage={undefined}
          from={from}
          to={to}
          flash={flashOf(answer, "")}
        />,
        statusOf(answer),
      );
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header(
      "Content-Disposition",
      answer.headers.get("Content-Disposition") ?? `attachment; filename="usage-${from}-${to}.csv"`,
    );
    return c.body(answer.text);
  });

  portal.get("/requests", requireSession(), async (c) => {
    const q = c.req.query();
    const filters: RequestFilters = {
      ...(q.outcome ? { outcome: q.outcome } : {}),
      ...(q.method ? { method: q.method } : {}),
      ...(q.product ? { product: q.product } : {}),
    };
    const query = new URLSearchParams({ limit: "50", ...(filters as Record<string, string>) });
    if (q.starting_after) query.set("starting_after", q.starting_after);
    const answer = await callApi<{ data: LoggedRequest[]; has_more: boolean }>(
      c,
      c.get("session"),
      "GET",
      "/v1/requests",
      { query },
    );
    const rows = answer.result?.data ?? [];
    const last = rows.at(-1);
    return c.html(
      <RequestsPage
        {...frameOf(c, "Request log")}
        requests={rows}
        filters={filters}
        {...(answer.result?.has_more && last ? { next: last.id } : {})}
        {...(answer.error ? { flash: flashOf(answer, "") } : {})}
      />,
      statusOf(answer),
    );
  });

  portal.get("/requests/:id", requireSession(), async (c) => {
    const answer = await callApi<LoggedRequest>(
      c,
      c.get("session"),
      "GET",
      `/v1/requests/${encodeURIComponent(c.req.param("id"))}`,
    );
    if (!answer.result)
      return c.html(
        <RequestsPage
          {...frameOf(c, "Request log")}
          requests={[]}
          filters={{}}
          flash={flashOf(answer, "")}
        />,
        statusOf(answer),
      );
    return c.html(
      <RequestPage
        {...frameOf(c, `${answer.result.method} ${answer.result.route ?? answer.result.path}`)}
        request={answer.result}
      />,
    );
  });
}
