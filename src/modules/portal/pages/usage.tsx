/** @jsxImportSource hono/jsx */
import {
  CHART_ASSETS,
  DayCharts,
  type UsageFigures as Metrics,
  percent,
  USAGE_COLUMNS,
  UsageCells,
} from "../../../platform/web/charts";
import { Layout, type PageFrame } from "../../../platform/web/layout";
import { Table } from "../../../platform/web/parts";

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

export function UsagePage(props: PageFrame & { usage: UsageView | undefined; from: string; to: string }) {
  const u = props.usage;
  const csv = `/portal/usage.csv?${new URLSearchParams({ from: props.from, to: props.to })}`;
  return (
    <Layout {...props} active="usage" {...CHART_ASSETS}>
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
          <DayCharts days={u.days} title="Calls and latency per day" />
          <Table
            caption={`Totals ${u.from} to ${u.to}: ${u.totals.calls} calls, ${percent(u.totals.error_rate)} errors`}
            columns={["Day", "Product", ...USAGE_COLUMNS]}
            rows={u.data}
            row={(r) => (
              <tr data-usage={`${r.date} ${r.product}`}>
                <td>{r.date}</td>
                <td>{r.product}</td>
                <UsageCells figures={r} />
              </tr>
            )}
          />
        </>
      ) : null}
    </Layout>
  );
}
