/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import { CHART_ASSETS } from "../../../platform/web/charts";
import { Layout, type PageFrame } from "../../../platform/web/layout";
import { Filters, Select, Table } from "../../../platform/web/parts";
import type { eventView } from "../../operations/events";
import type { PaymentFigures, WebhookFigures } from "../../operations/metrics";
import type { RuleView } from "../../operations/rules";
import { minute } from "./format";

export type AlertEventView = ReturnType<typeof eventView>;

export interface MetricsFilter {
  from: string;
  to: string;
  group_by: string;
  partner_id: string;
  provider: string;
  bin_country: string;
  method: string;
}

/** Basis points as a percentage with two decimals (`42.85 %`), exactly: no float rounding. */
export const bpsText = (bps: number | null) =>
  bps === null ? "—" : `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, "0")} %`;
const msText = (v: number | null) => (v === null ? "—" : `${v} ms`);
const RATE_METRICS = ["approve_rate", "decline_rate", "fallback_share"];
const valueText = (metric: string, v: number | null) =>
  RATE_METRICS.includes(metric) ? bpsText(v) : msText(v);

const GROUPS: readonly (readonly [string, string])[] = [
  ["", "Everything"],
  ["partner", "Partner"],
  ["provider", "Provider"],
  ["bin_country", "BIN country"],
  ["method", "Method"],
];

/** The chart's data (never executed; `<` escaped so no text can close the element). */
const dataBlock = (value: unknown) => raw(JSON.stringify(value).replace(/</g, "\\u003c"));

/** Declines per reason, the most frequent first: `do_not_honor 2, insufficient_funds 1`. */
const reasonsText = (reasons: Record<string, number>) => {
  const entries = Object.entries(reasons).sort(([, a], [, b]) => b - a);
  return entries.length === 0 ? "—" : entries.map(([r, n]) => `${r} ${n}`).join(", ");
};

function Rules(props: { rules: RuleView[] }) {
  return (
    <Table
      caption="Alert rules"
      columns={["Rule", "Metric", "Condition", "State", "Last value", "Samples", "Evaluated", "Connector"]}
      rows={props.rules}
      empty="No alert rules yet: create them with POST /admin/v1/alerts/rules."
      row={(r) => (
        <tr data-rule={r.id}>
          <th scope="row">{r.name}</th>
          <td>{r.metric}</td>
          <td>
            {r.comparator} {valueText(r.metric, r.threshold)} for {r.fire_after}, clears at{" "}
            {valueText(r.metric, r.resolve_threshold)} for {r.resolve_after}; {r.window_minutes} min, ≥{" "}
            {r.min_samples} samples
          </td>
          <td data-field="state">
            <span class={`badge badge-${r.state === "firing" ? "failed" : "active"}`}>{r.state}</span>
          </td>
          <td data-field="last-value">{valueText(r.metric, r.last_value)}</td>
          <td>{r.last_samples ?? "—"}</td>
          <td>{r.last_evaluated_at ? minute(r.last_evaluated_at) : "never"}</td>
          <td>
            {r.connector.type === "webhook" ? `webhook ${new URL(r.connector.url).host}` : "sandbox sink"}
          </td>
        </tr>
      )}
    />
  );
}

function Transitions(props: { events: AlertEventView[]; names: Map<string, string> }) {
  return (
    <Table
      caption="Latest transitions"
      columns={["When", "Rule", "Transition", "Value", "Delivery"]}
      rows={props.events}
      empty="No rule has fired yet."
      row={(e) => (
        <tr data-alert-event={e.id}>
          <th scope="row">{minute(e.created_at)}</th>
          <td>{props.names.get(e.rule_id) ?? <code>{e.rule_id}</code>}</td>
          <td data-field="kind">{e.kind}</td>
          <td>
            {valueText(String((e.payload.rule as { metric?: string } | undefined)?.metric ?? ""), e.value)}
          </td>
          <td data-field="delivery">
            {e.delivery.status}
            {e.delivery.last_error ? ` (${e.delivery.last_error})` : ""}
          </td>
        </tr>
      )}
    />
  );
}

/**
 * The operational metrics (docs/operations.md): payment figures per group, approve rate and p95
 * per hour as a chart (uPlot, drawn by portal.js from the data block), webhook lag, and the alert
 * rules with their state and latest transitions.
 */
export function MetricsPage(
  props: PageFrame & {
    filter: MetricsFilter;
    rows: PaymentFigures[] | undefined;
    series: PaymentFigures[];
    webhooks: WebhookFigures[];
    rules: RuleView[];
    events: AlertEventView[];
  },
) {
  const { filter } = props;
  const names = new Map(props.rules.map((r) => [r.id, r.name]));
  const field = (id: keyof MetricsFilter, label: string, hint?: string) => (
    <div>
      <label for={id}>{label}</label>
      <input id={id} name={id} value={filter[id]} placeholder={hint} />
    </div>
  );
  return (
    <Layout {...props} active="metrics" {...CHART_ASSETS}>
      <Filters action="/console/metrics" label="Filter metrics" button="Show">
        {field("from", "From", "2026-12-01T00:00:00Z")}
        {field("to", "To", "2026-12-02T00:00:00Z")}
        <Select id="group_by" label="Group by" options={GROUPS} selected={filter.group_by} />
        {field("partner_id", "Partner ID")}
        {field("provider", "Provider")}
        {field("bin_country", "BIN country")}
        {field("method", "Method")}
      </Filters>
      <p class="hint">
        From {minute(filter.from)} to {minute(filter.to)} UTC. Rates per authorization attempt; payments
        counted once, by their last attempt; latencies by nearest rank.
      </p>
      {props.rows ? (
        <Table
          caption="Payment metrics"
          columns={[
            "Group",
            "Attempts",
            "Approve rate",
            "Declines",
            "p50",
            "p95",
            "Fallback share",
            "Payments",
            "Retry share",
            "Refund rate",
            "Dispute rate",
          ]}
          rows={props.rows}
          empty="No authorization attempts in this range."
          row={(r) => (
            <tr data-group={r.key ?? ""}>
              <th scope="row">{r.key ?? (filter.group_by ? "(none)" : "Everything")}</th>
              <td data-field="attempts">{r.attempts}</td>
              <td data-field="approve-rate">{bpsText(r.approve_rate_bps)}</td>
              <td data-field="declines">{reasonsText(r.decline_reasons)}</td>
              <td data-field="p50">{msText(r.latency_p50_ms)}</td>
              <td data-field="p95">{msText(r.latency_p95_ms)}</td>
              <td data-field="fallback-share">{bpsText(r.fallback_share_bps)}</td>
              <td>{r.payments}</td>
              <td data-field="retry-share">{bpsText(r.retry_share_bps)}</td>
              <td data-field="refund-rate">{bpsText(r.refund_rate_bps)}</td>
              <td data-field="dispute-rate">{bpsText(r.dispute_rate_bps)}</td>
            </tr>
          )}
        />
      ) : null}
      {props.series.length > 0 ? (
        <section class="card" aria-labelledby="metrics-charts">
          <h2 id="metrics-charts">Approve rate and p95 latency per hour</h2>
          <div class="chart" id="chart-approve" role="img" aria-label="Approve rate per hour" />
          <div class="chart" id="chart-p95" role="img" aria-label="p95 latency per hour" />
          <script type="application/json" id="metrics-data">
            {dataBlock(
              props.series.map((s) => ({
                at: s.bucket_start,
                approve_rate_bps: s.approve_rate_bps,
                latency_p95_ms: s.latency_p95_ms,
              })),
            )}
          </script>
        </section>
      ) : null}
      <Table
        caption="Webhook deliveries"
        columns={["Deliveries", "Succeeded", "Failed", "Pending", "Failed attempts", "Lag p50", "Lag p95"]}
        rows={props.webhooks}
        empty="No webhook deliveries of events in this range."
        row={(w) => (
          <tr data-webhooks="">
            <td>{w.deliveries}</td>
            <td>{w.succeeded}</td>
            <td>{w.failed}</td>
            <td>{w.pending}</td>
            <td>{w.failed_attempts}</td>
            <td data-field="lag-p50">{msText(w.lag_p50_ms)}</td>
            <td data-field="lag-p95">{msText(w.lag_p95_ms)}</td>
          </tr>
        )}
      />
      <Rules rules={props.rules} />
      <Transitions events={props.events} names={names} />
    </Layout>
  );
}
