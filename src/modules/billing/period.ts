import { z } from "zod";
import { addMonths, type CivilDate, dayNumber, daysBetween, formatDate, isDate, parseDate } from "./calendar";

/**
 * Billing periods (docs/billing.md, periods): months or years of UTC days, their boundaries at the
 * anchor and every whole interval from it (a month-end anchor keeps to month ends). The first
 * period runs from the day billing starts to the next boundary: a start between boundaries
 * makes it a part of a period, prorated by day.
 */

export type Interval = "month" | "year";

export const BillingScheduleSchema = z.strictObject({
  interval: z.enum(["month", "year"]),
  /** The first day billed, `YYYY-MM-DD` (UTC). */
  starts_on: z.string().refine(isDate, "a date YYYY-MM-DD"),
  /** A day the periods start on (e.g. `2026-01-01` for calendar months); `starts_on` when absent. */
  anchor: z.string().refine(isDate, "a date YYYY-MM-DD").optional(),
});
export type BillingSchedule = z.infer<typeof BillingScheduleSchema>;

export interface BillingPeriod {
  interval: Interval;
  /** 0 for the first period, then 1, 2… */
  index: number;
  /** The first day billed (UTC). */
  start: string;
  /** The day after the last day billed: the next period's `start` (exclusive). */
  end: string;
  /** Where the whole period starts: `start`, except for a first period that is prorated. */
  full_start: string;
  /** Days billed: `end − start`. */
  days: number;
  /** Days of the whole period: `end − full_start` (28–31 for a month, 365 or 366 for a year). */
  days_in_period: number;
}

const stepOf = (interval: Interval) => (interval === "month" ? 1 : 12);

/** The k-th boundary: the anchor moved k intervals, its day clamped to the month's last. */
const boundary = (anchor: CivilDate, interval: Interval, k: number) =>
  addMonths(anchor, k * stepOf(interval));

/** The k whose period [boundary(k), boundary(k + 1)) holds `date`. */
function boundaryIndex(anchor: CivilDate, interval: Interval, date: CivilDate): number {
  const months = (date.year - anchor.year) * 12 + (date.month - anchor.month);
  let k = Math.floor(months / stepOf(interval));
  const day = dayNumber(date);
  while (dayNumber(boundary(anchor, interval, k)) > day) k--;
  while (dayNumber(boundary(anchor, interval, k + 1)) <= day) k++;
  return k;
}

function resolve(schedule: BillingSchedule) {
  const startsOn = parseDate(schedule.starts_on);
  const anchor = parseDate(schedule.anchor ?? schedule.starts_on);
  return { startsOn, anchor, first: boundaryIndex(anchor, schedule.interval, startsOn) };
}

/** The period `index` of a schedule: 0 is the first, prorated when billing starts between boundaries. */
export function periodAt(schedule: BillingSchedule, index: number): BillingPeriod {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError("a period index is 0 or more");
  const { startsOn, anchor, first } = resolve(schedule);
  const fullStart = boundary(anchor, schedule.interval, first + index);
  const end = boundary(anchor, schedule.interval, first + index + 1);
  const start = index === 0 ? startsOn : fullStart;
  return {
    interval: schedule.interval,
    index,
    start: formatDate(start),
    end: formatDate(end),
    full_start: formatDate(fullStart),
    days: daysBetween(start, end),
    days_in_period: daysBetween(fullStart, end),
  };
}

export const firstPeriod = (schedule: BillingSchedule) => periodAt(schedule, 0);

export const nextPeriod = (schedule: BillingSchedule, period: BillingPeriod) =>
  periodAt(schedule, period.index + 1);

/** The period a day (`YYYY-MM-DD`, UTC) is billed in; undefined before billing starts. */
export function periodContaining(schedule: BillingSchedule, date: string): BillingPeriod | undefined {
  const { startsOn, anchor, first } = resolve(schedule);
  const day = parseDate(date);
  if (dayNumber(day) < dayNumber(startsOn)) return undefined;
  return periodAt(schedule, boundaryIndex(anchor, schedule.interval, day) - first);
}

/** Whether the period is a part of a whole one: then fees are prorated by `days / days_in_period`. */
export const isProrated = (period: BillingPeriod) => period.days !== period.days_in_period;
