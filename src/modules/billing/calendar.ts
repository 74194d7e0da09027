/**
 * UTC calendar days as `YYYY-MM-DD`, in integers: the day number is whole days since 1970-01-01,
 * so day counts are exact subtractions and no time zone or clock is involved.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export interface CivilDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

export const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A real calendar date between 1900 and 9999, or a RangeError. */
export function parseDate(text: string): CivilDate {
  const m = DATE.exec(text);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m || year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`${text} is not a date (YYYY-MM-DD, 1900–9999)`);
  }
  return { year, month, day };
}

export const isDate = (text: string) => {
  try {
    parseDate(text);
    return true;
  } catch {
    return false;
  }
};

export const formatDate = ({ year, month, day }: CivilDate) =>
  `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;

/** Whole days since 1970-01-01 (negative before). */
export const dayNumber = ({ year, month, day }: CivilDate) => Date.UTC(year, month - 1, day) / MS_PER_DAY;

export function fromDayNumber(days: number): CivilDate {
  const d = new Date(days * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Days from `from` to `to` (`to − from`). */
export const daysBetween = (from: CivilDate, to: CivilDate) => dayNumber(to) - dayNumber(from);

/**
 * `months` months after `date` (before, when negative), the day kept where the month has it and
 * else the month's last: Jan 31 + 1 month is Feb 28 (Feb 29 in a leap year), Feb 29 + 12 months
 * is Feb 28. Always counted from `date` itself, so Jan 31 + 2 months is Mar 31, never Mar 28.
 */
export function addMonths(date: CivilDate, months: number): CivilDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}
