import type { Db } from "../../../platform/db/client";
import { ApiError } from "../../../platform/errors";
import { addMonths, formatDate, isDate } from "../calendar";
import { evaluateSla } from "./evaluate";
import { measureSla } from "./measure";
import { slaOf, type Tier } from "./targets";

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A calendar month (UTC): its first day and the next month's first day (exclusive). */
export interface SlaMonth {
  month: string;
  start: string;
  end: string;
}

const monthOfDay = (day: string): SlaMonth => {
  const start = `${day.slice(0, 7)}-01`;
  const [y, m] = start.split("-").map(Number) as [number, number];
  return { month: day.slice(0, 7), start, end: formatDate(addMonths({ year: y, month: m, day: 1 }, 1)) };
};

/** This month (UTC) at `now`. */
export const currentMonth = (now: number) => monthOfDay(new Date(now).toISOString().slice(0, 10));

/** The month before `m`. */
export const previousMonth = (m: SlaMonth): SlaMonth => {
  const [y, mo] = m.start.split("-").map(Number) as [number, number];
  return monthOfDay(formatDate(addMonths({ year: y, month: mo, day: 1 }, -1)));
};

/**
 * `YYYY-MM` as asked (default: this month). Not a month, or one after this month, is a
 * validation error (code 4) on `month`.
 */
export function slaMonth(asked: string | undefined, now: number): SlaMonth {
  const current = currentMonth(now);
  if (asked === undefined) return current;
  if (!MONTH.test(asked) || !isDate(`${asked}-01`))
    throw new ApiError("validation", { field: "month", msg: "a month YYYY-MM" }, { field: "month" });
  if (asked > current.month)
    throw new ApiError(
      "validation",
      { field: "month", msg: "must not be after the current month" },
      { field: "month" },
    );
  return monthOfDay(`${asked}-01`);
}

const instant = (day: string) => `${day}T00:00:00.000Z`;
/** The day before `day` (the last day of a span that ends, exclusive, at `day`). */
export const dayBefore = (day: string) =>
  new Date(Date.parse(instant(day)) - 86_400_000).toISOString().slice(0, 10);

/**
 * The month's service levels for a partner of `tier` (docs/sla.md): its tier's targets, what the
 * request log measured, met or missed per target and the credit earned. The current month is
 * measured so far (`complete: false`).
 */
export async function slaReport(db: Db, partnerId: string, tier: Tier, month: SlaMonth, now: number) {
  const targets = slaOf(tier);
  const m = await measureSla(db, partnerId, instant(month.start), instant(month.end));
  const verdict = evaluateSla(targets, m);
  return {
    object: "sla" as const,
    month: month.month,
    from: month.start,
    to: dayBefore(month.end),
    complete: now >= Date.parse(instant(month.end)),
    tier,
    calls: { total: m.calls, refused: m.refused, counted: m.counted, server_errors: m.server_errors },
    availability: {
      target_bps: targets?.availability_bps ?? null,
      measured_bps: m.availability_bps,
      status: verdict.availability.status,
      credit_bps: verdict.availability.credit_bps,
    },
    p95_latency: {
      target_ms: targets?.p95_latency_ms ?? null,
      measured_ms: m.p95_latency_ms,
      rank: m.p95_rank,
      status: verdict.p95_latency.status,
      credit_bps: verdict.p95_latency.credit_bps,
    },
    credit_bps: verdict.credit_bps,
  };
}

export type SlaReport = Awaited<ReturnType<typeof slaReport>>;
