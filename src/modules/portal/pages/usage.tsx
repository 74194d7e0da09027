/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import { DataTable, Layout, type PageFrame } from "../../../platform/web/layout";

interface Metrics {
  calls: number;
  errors: number;
  errors_4xx: number;
  errors_5xx: number;
  error_rate: number;
  p50_latency_ms: number | null;
  p99_latency_ms: number | null;
}

export interface UsageView {
  from: string;
  to: string;
  data: (Metrics & { date: string; product: string })[];
  days: (Metrics & { date: string })[];
  totals: Metrics;
  limits: {
    tier: string;
    calls_today: number;
    requests_per_second: { limit: number; peak_today: number; rate_limited_today: number };
    daily_quota: {
      limit: number | null;
      used_today: number;
      remaining_today: number | null;
      quota_exceeded_today: number;
      resets_at: string;
    };
  };
}

const VENDOR = "/portal/assets/vendor/uPlot";
const percent = (rate: number) => `${(rate * 100).toFixed(2)} %`;
const ms = (v: number | null) => (v === null ? "—" : `${v} ms`);

/** The chart data as a JSON data block (never executed; `<` escaped so no text can close the element). */
const dataBlock = (value: unknown) => raw(JSON.stringify(value).replace(/</g, "\\u003c"));

export function UsagePage(props: PageFrame & { usage: UsageView | undefined; from: string; to: string }) {
  const u = props.usage;
  const csv = `/portal/usage.csv?${new URLSearchParams({ from: props.from, to: props.to })}`;
  return (
    <Layout {...props} active="usage" scripts={[`${VENDOR}.iife.min.js`]} styles={[`${VENDOR}.min.css`]}>
      <form method="get" action="/portal/usage" class="filters card" aria-label="Choose the range">
        <div>
          <label for="from">From (UTC day)</label>
          <input id="from" name="from" type="date" value={props.from} />
        </div>
        <div>
          <label for="to">To (UTC day)</label>
          <input id="to" name="to" type="date" value={props.to} />
        </div>
        <button type="submit" class="primary">
          Show
        </button>
        <a href={csv} download>
          Export CSV
        </a>
      </form>
      {u ? (
        <>
          <section class="card" aria-labelledby="plan">
            <h2 id="plan">Your plan today</h2>
            <dl class="facts">
              <dt>Plan</dt>
              <dd>{u.limits.tier}</dd>
              <dt>Requests per second</dt>
              <dd>
                limit {u.limits.requests_per_second.limit}, peak today{" "}
                {u.limits.requests_per_second.peak_today}, refused today{" "}
                {u.limits.requests_per_second.rate_limited_today}
              </dd>
              <dt>Daily quota</dt>
              <dd id="quota">
                {u.limits.daily_quota.limit === null
                  ? `no daily quota; ${u.limits.daily_quota.used_today} calls today`
                  : `${u.limits.daily_quota.used_today} of ${u.limits.daily_quota.limit} used, ${u.limits.daily_quota.remaining_today} left`}
              </dd>
            </dl>
          </section>
          <section class="card" aria-labelledby="charts">
            <h2 id="charts">Calls and latency per day</h2>
            <div class="chart" id="chart-calls" role="img" aria-label="Calls and errors per day" />
            <div class="chart" id="chart-latency" role="img" aria-label="p50 and p99 latency per day" />
            <script type="application/json" id="usage-data">
              {dataBlock(u.days)}
            </script>
          </section>
          <DataTable
            caption={`Totals ${u.from} to ${u.to}: ${u.totals.calls} calls, ${percent(u.totals.error_rate)} errors`}
            columns={["Day", "Product", "Calls", "Errors (4xx / 5xx)", "Error rate", "p50", "p99"]}
          >
            {u.data.map((r) => (
              <tr data-usage={`${r.date} ${r.product}`}>
                <td>{r.date}</td>
                <td>{r.product}</td>
                <td>{r.calls}</td>
                <td>
                  {r.errors} ({r.errors_4xx} / {r.errors_5xx})
                </td>
                <td>{percent(r.error_rate)}</td>
                <td>{ms(r.p50_latency_ms)}</td>
                <td>{ms(r.p99_latency_ms)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </Layout>
  );
}
