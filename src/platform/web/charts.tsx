/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";

/** The bundled uPlot (public/portal/assets/vendor): a page with charts adds these to its frame. */
const VENDOR = "/portal/assets/vendor/uPlot";
export const CHART_ASSETS = { scripts: [`${VENDOR}.iife.min.js`], styles: [`${VENDOR}.min.css`] } as const;

/** One UTC day's figures as the usage reports give them (GET /v1/usage, GET /admin/v1/partners/{id}/usage). */
export interface DayFigures {
  date: string;
  calls: number;
  errors: number;
  p50_latency_ms: number | null;
  p99_latency_ms: number | null;
}

/** The chart data as a JSON data block (never executed; `<` escaped so no text can close the element). */
const dataBlock = (value: unknown) => raw(JSON.stringify(value).replace(/</g, "\\u003c"));

/**
 * Calls and errors, and p50/p99 latency, per day: portal.js draws them with uPlot from the data
 * block. Without script the page's table says the same.
 */
export function DayCharts(props: { days: readonly DayFigures[]; title: string }) {
  return (
    <section class="card" aria-labelledby="charts">
      <h2 id="charts">{props.title}</h2>
      <div class="chart" id="chart-calls" role="img" aria-label="Calls and errors per day" />
      <div class="chart" id="chart-latency" role="img" aria-label="p50 and p99 latency per day" />
      <script type="application/json" id="usage-data">
        {dataBlock(props.days)}
      </script>
    </section>
  );
}

/** A usage group's figures as the usage tables show them (GET /v1/usage's metrics). */
export interface UsageFigures extends Omit<DayFigures, "date"> {
  errors_4xx: number;
  errors_5xx: number;
  error_rate: number;
}

export const percent = (rate: number) => `${(rate * 100).toFixed(2)} %`;
const ms = (v: number | null) => (v === null ? "—" : `${v} ms`);

/** The usage tables' figure columns: calls, errors (4xx / 5xx), error rate, p50, p99. */
export const USAGE_COLUMNS = ["Calls", "Errors (4xx / 5xx)", "Error rate", "p50", "p99"] as const;

export function UsageCells(props: { figures: UsageFigures }) {
  const f = props.figures;
  return (
    <>
      <td>{f.calls}</td>
      <td>
        {f.errors} ({f.errors_4xx} / {f.errors_5xx})
      </td>
      <td>{percent(f.error_rate)}</td>
      <td>{ms(f.p50_latency_ms)}</td>
      <td>{ms(f.p99_latency_ms)}</td>
    </>
  );
}
