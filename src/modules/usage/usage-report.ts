import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import type { PartnerProfile } from "../../platform/types";
import { DEFAULT_USAGE_DAYS, type LogProduct, MAX_USAGE_DAYS } from "./model";
import { todaysCalls, type UsageFigures, usageByDay, usageByDayAndProduct, usageTotals } from "./storage";

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOf = (date: string) => Date.parse(`${date}T00:00:00.000Z`);

/** The report's UTC days, both included. */
export interface UsageSpan {
  from: string;
  to: string;
}

/**
 * The days asked for: `to` defaults to today (UTC), `from` to `days - 1` days before `to` (a week
 * unless told). `from` after `to`, or more than MAX_USAGE_DAYS days, is refused (code 4).
 */
export function usageSpan(
  q: { from?: string | undefined; to?: string | undefined },
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
  if (span > MAX_USAGE_DAYS)
    throw new ApiError(
      "validation",
      { field: "to", msg: `from and to span at most ${MAX_USAGE_DAYS} days` },
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

export type UsageRow = ReturnType<typeof metrics> & { date: string; product: LogProduct };

/**
 * The partner's usage over the span (docs/usage.md): per UTC day and product, per day (every day
 * of the span, days without calls as zeros) and in total, with nearest-rank p50/p99 latencies; and
 * its plan's limits beside what today's recorded calls show of them.
 */
export async function usageReport(
  db: Db,
  partner: Pick<PartnerProfile, "id" | "tier" | "limits">,
  span: UsageSpan,
  now: number,
) {
  const from = `${span.from}T00:00:00.000Z`;
  const to = new Date(startOf(span.to) + DAY_MS).toISOString();
  const today = dayOf(now);
  const [rows, days, totals, calls] = await Promise.all([
    usageByDayAndProduct(db, partner.id, from, to),
    usageByDay(db, partner.id, from, to),
    usageTotals(db, partner.id, from, to),
    todaysCalls(db, partner.id, `${today}T00:00:00.000Z`),
  ]);
  const byDay = new Map(days.map((d) => [d.day, d]));
  const everyDay: string[] = [];
  for (let t = startOf(span.from); t <= startOf(span.to); t += DAY_MS) everyDay.push(dayOf(t));
  const quota = partner.limits.dailyQuota;
  return {
    object: "usage" as const,
    from: span.from,
    to: span.to,
    data: rows.map((r): UsageRow => ({ date: r.day, product: r.product, ...metrics(r) })),
    days: everyDay.map((date) => ({ date, ...metrics(byDay.get(date) ?? NO_CALLS) })),
    totals: metrics(totals),
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
  "product",
  "calls",
  "errors",
  "errors_4xx",
  "errors_5xx",
  "error_rate",
  "p50_latency_ms",
  "p99_latency_ms",
] as const;

/** The report's per-day-and-product rows as CSV (RFC 4180: a header, CRLF lines; no cell needs quoting). */
export function usageCsv(rows: readonly UsageRow[]): string {
  const lines = [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => r[c] ?? "").join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
