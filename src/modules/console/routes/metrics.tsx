/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import { flashOf, statusOf } from "../../../platform/web/answer";
import type { PaymentFigures, WebhookFigures } from "../../operations/metrics";
import type { RuleView } from "../../operations/rules";
import { type AlertEventView, type MetricsFilter, MetricsPage } from "../pages/metrics";
import { asAdmin, type ConsoleContext, type ConsoleEnv, frameOf } from "./context";

const DAY = 86_400_000;
const FILTERS = ["partner_id", "provider", "bin_country", "method"] as const;

/** The GET form's filter as typed (the admin API checks it: a bad range is its 400), the last 24 hours by default. */
function filterOf(c: ConsoleContext): MetricsFilter {
  const text = (name: string) => c.req.query(name)?.trim() ?? "";
  const to = text("to") || new Date().toISOString();
  const from = text("from") || new Date((Date.parse(to) || Date.now()) - DAY).toISOString();
  return {
    from,
    to,
    group_by: text("group_by"),
    partner_id: text("partner_id"),
    provider: text("provider"),
    bin_country: text("bin_country"),
    method: text("method"),
  };
}

export function registerMetrics(app: Hono<ConsoleEnv>) {
  // The metrics (GET /admin/v1/metrics/payments, …/webhooks) and the alert rules with their transitions.
  app.get("/metrics", async (c) => {
    const filter = filterOf(c);
    const query = new URLSearchParams({ from: filter.from, to: filter.to });
    for (const name of FILTERS) if (filter[name]) query.set(name, filter[name]);
    const grouped = new URLSearchParams(query);
    if (filter.group_by) grouped.set("group_by", filter.group_by);
    const hourly = new URLSearchParams(query);
    hourly.set("bucket", "hour");
    const hooks = new URLSearchParams({ from: filter.from, to: filter.to });
    if (filter.partner_id) hooks.set("partner_id", filter.partner_id);
    const [table, series, webhooks, rules, events] = await Promise.all([
      asAdmin<{ data: PaymentFigures[] }>(c, "GET", "/admin/v1/metrics/payments", { query: grouped }),
      asAdmin<{ data: PaymentFigures[] }>(c, "GET", "/admin/v1/metrics/payments", { query: hourly }),
      asAdmin<{ data: WebhookFigures[] }>(c, "GET", "/admin/v1/metrics/webhooks", { query: hooks }),
      asAdmin<{ data: RuleView[] }>(c, "GET", "/admin/v1/alerts/rules"),
      asAdmin<{ data: AlertEventView[] }>(c, "GET", "/admin/v1/alerts/events", {
        query: new URLSearchParams({ limit: "20" }),
      }),
    ]);
    return c.html(
      <MetricsPage
        {...frameOf(c, "Metrics and alerts")}
        filter={filter}
        rows={table.result?.data}
        series={series.result?.data ?? []}
        webhooks={webhooks.result?.data ?? []}
        rules={rules.result?.data ?? []}
        events={events.result?.data ?? []}
        {...(table.error ? { flash: flashOf(table, "") } : {})}
      />,
      statusOf(table),
    );
  });
}
