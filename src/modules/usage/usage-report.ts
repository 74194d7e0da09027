import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import type { PartnerProfile } from "../../platform/types";
import { billableByPeriod } from "../billing/metering/storage";
import {
  DEFAULT_USAGE_DAYS,
  type Granularity,
  type LogProduct,
  MAX_HOURLY_USAGE_DAYS,
  MAX_USAGE_DAYS,
} from "./model";
import {
  todaysCalls,
  type UsageFigures,
  usageByDay,
  usageByDayAndProduct,
  usageByHourAndProduct,
  usageTotals,
} from "./storage";

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOf = (date: string) => Date.parse(`${date}T00:00:00.000Z`);

/** The report's UTC days, both included. */
export interface UsageSpan {
  from: string;
  to: string;
}

/** How the report is cut: per day (default) or per hour, every product or one. */
export interface UsageCut {
  granularity: Granularity;
  product?: LogProduct | undefined;
}

/**
 * The days asked for: `to` defaults to today (UTC), `from` to `days - 1` days before `to` (a week
 * unless told). `from` after `to`, or more than MAX_USAGE_DAYS days (MAX_HOURLY_USAGE_DAYS per
 * hour), is refused (code 4).
 */
export function usageSpan(
  q: { from?: string | undefined; to?: string | undefined; granularity?: Granularity | undefined },
  now: number,
  days = DEFAULT_USAGE_DAYS,
): UsageSpan {
  const to = q.to ?? dayOf(now);
  const from = q.from ?? dayOf(startOf(to) - (days - 1) * DAY_MS);
  for (const [field, date] of [
    ["from", from],
    ["to", to],
  ] as const)
    if (Number.isNaN(startOf(date)))
      throw new ApiError("validation", { field, msg: "not a calendar date" }, { field });
  const span = (startOf(to) - startOf(from)) / DAY_MS + 1;
  if (span < 1)
    throw new ApiError("validation", { field: "from", msg: "must not be after to" }, { field: "from" });
  const most = q.granularity === "hour" ? MAX_HOURLY_USAGE_DAYS : MAX_USAGE_DAYS;
  if (span > most)
    throw new ApiError(
      "validation",
      {
        field: "to",
        msg: `from and to span at most ${most} days${q.granularity === "hour" ? " per hour" : ""}`,
      },
      { field: "to" },
    );
  return { from, to };
}

/** errors / calls, to four decimals; 0 without calls. */
const rateOf = (errors: number, calls: number) =>
  calls === 0 ? 0 : Math.round((errors / calls) * 10_000) / 10_000;

function metrics(f: UsageFigures) {
  return {
    calls: f.calls,
    errors: f.errors,
    errors_4xx: f.errors_4xx,
    errors_5xx: f.errors_5xx,
    error_rate: rateOf(f.errors, f.calls),
    p50_latency_ms: f.p50,
    p99_latency_ms: f.p99,
  };
}

const NO_CALLS: UsageFigures = { calls: 0, errors: 0, errors_4xx: 0, errors_5xx: 0, p50: null, p99: null };

export type UsageRow = ReturnType<typeof metrics> & {
  date: string;
  /** Per hour only: the hour's start, `YYYY-MM-DDTHH:00:00Z`. */
  hour?: string;
  product: LogProduct;
  /** Calls metered for billing (docs/metering.md): every answered call, never a refusal. */
  billable: number;
};

/**
 * The request log's rows beside the metered billable calls, by period and product: a period with
 * only one of them (the log pruned or switched off, or calls not yet metered) shows zeros for the other.
 */
function mergeRows(
  logged: readonly (UsageFigures & { day: string; hour?: string; product: LogProduct })[],
  billable: ReadonlyMap<string, number>,
  granularity: Granularity,
): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const r of logged) {
    const period = granularity === "hour" ? (r.hour as string) : r.day;
    rows.set(`${period}|${r.product}`, {
      date: r.day,
      ...(granularity === "hour" ? { hour: period } : {}),
      product: r.product,
      ...metrics(r),
      billable: 0,
    });
  }
  for (const [key, calls] of billable) {
    const row = rows.get(key);
    if (row) {
      row.billable = calls;
      continue;
    }
    const [period = "", product = "other"] = key.split("|");
    rows.set(key, {
      date: period.slice(0, 10),
      ...(granularity === "hour" ? { hour: period } : {}),
      product: product as LogProduct,
      ...metrics(NO_CALLS),
      billable: calls,
    });
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/**
 * The partner's usage over the span (docs/usage.md): per UTC day and product, per day (every day
 * of the span, days without calls as zeros) and in total, with nearest-rank p50/p99 latencies; and
 * its plan's limits beside what today's recorded calls show of them. Per row, day and in total,
 * the calls metered for billing (`billable`, metered_usage); per hour with `granularity=hour`; of
 * one product with `product`.
 */
export async function usageReport(
  db: Db,
  partner: Pick<PartnerProfile, "id" | "tier" | "limits">,
  span: UsageSpan,
  now: number,
  cut: UsageCut = { granularity: "day" },
) {
  const from = `${span.from}T00:00:00.000Z`;
  const to = new Date(startOf(span.to) + DAY_MS).toISOString();
  const today = dayOf(now);
  const { granularity, product } = cut;
  const [rows, days, totals, calls, billable] = await Promise.all([
    granularity === "hour"
      ? usageByHourAndProduct(db, partner.id, from, to, product)
      : usageByDayAndProduct(db, partner.id, from, to, product),
    usageByDay(db, partner.id, from, to, product),
    usageTotals(db, partner.id, from, to, product),
    todaysCalls(db, partner.id, `${today}T00:00:00.000Z`),
    billableByPeriod(db, partner.id, span.from, to.slice(0, 10), granularity, product),
  ]);
  const byDay = new Map(days.map((d) => [d.day, d]));
  const billableOf = new Map(billable.map((b) => [`${b.period}|${b.product}`, b.billable]));
  const billableByDay = new Map<string, number>();
  let billableTotal = 0;
  for (const b of billable) {
    const day = b.period.slice(0, 10);
    billableByDay.set(day, (billableByDay.get(day) ?? 0) + b.billable);
    billableTotal += b.billable;
  }
  const everyDay: string[] = [];
  for (let t = startOf(span.from); t <= startOf(span.to); t += DAY_MS) everyDay.push(dayOf(t));
  const quota = partner.limits.dailyQuota;
  return {
    object: "usage" as const,
    from: span.from,
    to: span.to,
    granularity,
    product: product ?? null,
    data: mergeRows(rows, billableOf, granularity),
    days: everyDay.map((date) => ({
      date,
      ...metrics(byDay.get(date) ?? NO_CALLS),
      billable: billableByDay.get(date) ?? 0,
    })),
    totals: { ...metrics(totals), billable: billableTotal },
    limits: {
      tier: partner.tier,
      calls_today: calls.calls,
      requests_per_second: {
        limit: partner.limits.requestsPerSecond,
        peak_today: calls.peak_per_second,
        rate_limited_today: calls.rate_limited,
      },
      daily_quota: {
        limit: quota,
        used_today: calls.counted,
        remaining_today: quota === null ? null : Math.max(0, quota - calls.counted),
        quota_exceeded_today: calls.quota_exceeded,
        resets_at: new Date(startOf(today) + DAY_MS).toISOString(),
      },
    },
  };
}

const CSV_COLUMNS = [
  "date",
  "hour",
  "product",
  "calls",
  "errors",
  "errors_4xx",
  "errors_5xx",
  "error_rate",
  "p50_latency_ms",
  "p99_latency_ms",
  "billable",
] as const;

/**
 * The report's per-day (or per-hour) and product rows as CSV (RFC 4180: a header, CRLF lines; no
 * cell needs quoting). The `hour` column is there per hour only.
 */
export function usageCsv(rows: readonly UsageRow[], granularity: Granularity = "day"): string {
  const columns = CSV_COLUMNS.filter((c) => c !== "hour" || granularity === "hour");
  const lines = [columns.join(","), ...rows.map((r) => columns.map((c) => r[c] ?? "").join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
