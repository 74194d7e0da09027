import { describe, expect, it } from "vitest";
import { addMonths, daysInMonth, isDate, parseDate } from "../../../src/modules/billing/calendar";
import {
  type BillingSchedule,
  BillingScheduleSchema,
  firstPeriod,
  isProrated,
  nextPeriod,
  periodAt,
  periodContaining,
} from "../../../src/modules/billing/period";
import { seeded } from "./support";

const span = (s: BillingSchedule, index: number) => {
  const p = periodAt(s, index);
  return [p.start, p.end, p.days, p.days_in_period];
};

describe("the calendar", () => {
  it("knows leap years and month lengths", () => {
    expect([2024, 2025, 2000, 1900, 2100].map((y) => daysInMonth(y, 2))).toEqual([29, 28, 29, 28, 28]);
    expect([1, 4, 6, 9, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([31, 30, 30, 30, 30, 31]);
  });

  it("adds months from the day itself, clamping to the month's end", () => {
    const jan31 = parseDate("2026-01-31");
    expect(addMonths(jan31, 1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(addMonths(jan31, 2)).toEqual({ year: 2026, month: 3, day: 31 });
    expect(addMonths(parseDate("2024-01-31"), 1)).toEqual({ year: 2024, month: 2, day: 29 });
    expect(addMonths(parseDate("2024-02-29"), 12)).toEqual({ year: 2025, month: 2, day: 28 });
    expect(addMonths(parseDate("2026-03-31"), -1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(addMonths(parseDate("2026-12-15"), 1)).toEqual({ year: 2027, month: 1, day: 15 });
  });

  it("takes only real dates", () => {
    for (const bad of ["2026-02-29", "2026-13-01", "2026-04-31", "2026-1-01", "20260101", "1899-12-31", ""]) {
      expect(isDate(bad), bad).toBe(false);
      expect(() => parseDate(bad)).toThrow(RangeError);
    }
    expect(isDate("2024-02-29")).toBe(true);
  });
});

describe("billing periods", () => {
  it("anchored at the start: every period whole, none prorated", () => {
    const s: BillingSchedule = { interval: "month", starts_on: "2026-03-17" };
    const first = firstPeriod(s);
    expect(first).toEqual({
      interval: "month",
      index: 0,
      start: "2026-03-17",
      end: "2026-04-17",
      full_start: "2026-03-17",
      days: 31,
      days_in_period: 31,
    });
    expect(isProrated(first)).toBe(false);
    expect(span(s, 1)).toEqual(["2026-04-17", "2026-05-17", 30, 30]);
  });

  it("on calendar months, a mid-month start makes a first part period: days used of days in it", () => {
    const s: BillingSchedule = { interval: "month", anchor: "2026-01-01", starts_on: "2026-03-17" };
    const first = firstPeriod(s);
    expect(first).toMatchObject({ start: "2026-03-17", end: "2026-04-01", full_start: "2026-03-01" });
    expect([first.days, first.days_in_period, isProrated(first)]).toEqual([15, 31, true]);
    const second = nextPeriod(s, first);
    expect(second).toMatchObject({
      index: 1,
      start: "2026-04-01",
      end: "2026-05-01",
      days: 30,
      days_in_period: 30,
    });
    expect(isProrated(second)).toBe(false);
  });

  it("starting on the last day of a month bills one day of it", () => {
    const s: BillingSchedule = { interval: "month", anchor: "2026-01-01", starts_on: "2026-04-30" };
    expect(span(s, 0)).toEqual(["2026-04-30", "2026-05-01", 1, 30]);
  });

  it("prorates February by 29 days in a leap year and 28 otherwise", () => {
    const leap: BillingSchedule = { interval: "month", anchor: "2024-01-01", starts_on: "2024-02-10" };
    expect(span(leap, 0)).toEqual(["2024-02-10", "2024-03-01", 20, 29]);
    const common: BillingSchedule = { interval: "month", anchor: "2025-01-01", starts_on: "2025-02-10" };
    expect(span(common, 0)).toEqual(["2025-02-10", "2025-03-01", 19, 28]);
  });

  it("keeps a month-end anchor at month ends: Jan 31 → Feb 28/29 → Mar 31 → Apr 30", () => {
    const s: BillingSchedule = { interval: "month", starts_on: "2026-01-31" };
    expect([0, 1, 2, 3].map((i) => span(s, i))).toEqual([
      ["2026-01-31", "2026-02-28", 28, 28],
      ["2026-02-28", "2026-03-31", 31, 31],
      ["2026-03-31", "2026-04-30", 30, 30],
      ["2026-04-30", "2026-05-31", 31, 31],
    ]);
    const leap: BillingSchedule = { interval: "month", starts_on: "2024-01-31" };
    expect(span(leap, 0)).toEqual(["2024-01-31", "2024-02-29", 29, 29]);
    expect(span(leap, 1)).toEqual(["2024-02-29", "2024-03-31", 31, 31]);
    expect(span(leap, 12)).toEqual(["2025-01-31", "2025-02-28", 28, 28]);
  });

  it("a start between a month-end anchor's boundaries is prorated against that period", () => {
    const s: BillingSchedule = { interval: "month", anchor: "2026-01-31", starts_on: "2026-03-15" };
    expect(span(s, 0)).toEqual(["2026-03-15", "2026-03-31", 16, 31]);
  });

  it("an anchor after the start counts back from it", () => {
    const s: BillingSchedule = { interval: "month", anchor: "2026-06-15", starts_on: "2026-03-01" };
    expect(span(s, 0)).toEqual(["2026-03-01", "2026-03-15", 14, 28]);
    expect(span(s, 1)).toEqual(["2026-03-15", "2026-04-15", 31, 31]);
  });

  it("yearly: 365 or 366 days, a Feb 29 anchor on Feb 28 in common years, a part first year", () => {
    const feb29: BillingSchedule = { interval: "year", starts_on: "2024-02-29" };
    expect([0, 1, 2, 3].map((i) => span(feb29, i))).toEqual([
      ["2024-02-29", "2025-02-28", 365, 365],
      ["2025-02-28", "2026-02-28", 365, 365],
      ["2026-02-28", "2027-02-28", 365, 365],
      ["2027-02-28", "2028-02-29", 366, 366],
    ]);
    const calendar: BillingSchedule = { interval: "year", anchor: "2026-01-01", starts_on: "2026-07-01" };
    expect(span(calendar, 0)).toEqual(["2026-07-01", "2027-01-01", 184, 365]);
    const leap: BillingSchedule = { interval: "year", anchor: "2028-01-01", starts_on: "2028-03-01" };
    expect(span(leap, 0)).toEqual(["2028-03-01", "2029-01-01", 306, 366]);
  });

  it("finds the period a day is billed in; none before billing starts", () => {
    const s: BillingSchedule = { interval: "month", anchor: "2026-01-01", starts_on: "2026-03-17" };
    expect(periodContaining(s, "2026-03-16")).toBeUndefined();
    expect(periodContaining(s, "2026-03-17")?.index).toBe(0);
    expect(periodContaining(s, "2026-03-31")?.index).toBe(0);
    expect(periodContaining(s, "2026-04-01")?.index).toBe(1); // `end` is exclusive
    expect(periodContaining(s, "2027-03-01")).toEqual(periodAt(s, 12));
    expect(() => periodAt(s, -1)).toThrow(RangeError);
  });

  it("tiles time: each period starts where the last ended, and every day falls in exactly one", () => {
    const draw = seeded(20260317);
    for (let run = 0; run < 40; run++) {
      const year = 2020 + draw(10);
      const date = (y: number, m: number, d: number) =>
        `${y}-${String(m).padStart(2, "0")}-${String(Math.min(d, daysInMonth(y, m))).padStart(2, "0")}`;
      const anchor = date(year, 1 + draw(12), 1 + draw(31));
      const interval = draw(4) === 0 ? "year" : "month";
      const starts_on = date(year + draw(2), 1 + draw(12), 1 + draw(31));
      const s: BillingSchedule = { interval, anchor, starts_on };
      let period = firstPeriod(s);
      expect(period.start).toBe(starts_on);
      for (let i = 0; i < (interval === "year" ? 5 : 30); i++) {
        const next = nextPeriod(s, period);
        expect(next.start).toBe(period.end);
        expect(next.full_start).toBe(next.start);
        expect(next.days).toBe(next.days_in_period);
        if (interval === "month") expect(next.days).toBeGreaterThanOrEqual(28);
        if (interval === "month") expect(next.days).toBeLessThanOrEqual(31);
        else expect([365, 366]).toContain(next.days);
        expect(period.days).toBeGreaterThan(0);
        expect(period.days).toBeLessThanOrEqual(period.days_in_period);
        expect(periodContaining(s, period.start)).toEqual(period);
        expect(periodContaining(s, next.start)).toEqual(next);
        period = next;
      }
    }
  });

  it("checks a schedule as written", () => {
    expect(BillingScheduleSchema.safeParse({ interval: "month", starts_on: "2026-03-17" }).success).toBe(
      true,
    );
    const bad = BillingScheduleSchema.safeParse({ interval: "week", starts_on: "2026-02-30", anchor: "x" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["interval", "starts_on", "anchor"]);
  });
});
