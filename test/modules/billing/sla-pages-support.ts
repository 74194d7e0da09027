import { dayOfCalls, logCalls } from "./sla-support";

/** This month's and last month's first days (UTC) and `YYYY-MM`, from the real clock. */
export function months(now = new Date()) {
  const first = (k: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    current: { month: day(first(0)).slice(0, 7), day: day(first(0)) },
    previous: { month: day(first(-1)).slice(0, 7), day: day(first(-1)) },
  };
}

/**
 * A standard partner's two months: last month missed both targets (1000 calls, 6 answered 500:
 * 99.40 %; p95 801 ms), this month met both (200 calls, none failed, p95 120 ms).
 */
export async function seedTwoMonths(partnerId: string) {
  const m = months();
  await logCalls(
    partnerId,
    dayOfCalls(m.previous.day, 1000, (i) => (i < 940 ? 100 : 801), { errors: 6 }),
  );
  await logCalls(
    partnerId,
    dayOfCalls(m.current.day, 200, (i) => (i < 180 ? 100 : 120)),
  );
  return m;
}
