import type { Db } from "../../../platform/db/client";
import { advanceClock, clockOf } from "./storage";

/**
 * The sandbox's test clock (docs/invoices.md), as Stripe has: a partner's billing time is real
 * time plus an offset it moves forward; closing reads billing time, so a month passes at once.
 * Production has no test clock: its billing time is real time.
 */

export const DAY_MS = 86_400_000;
/** The most one advance moves: a year and a bit, enough to see a yearly plan's period close. */
export const MAX_CLOCK_DAYS = 400;

export const clockView = (offsetMs: number, realNow: number) => ({
  object: "test_clock" as const,
  now: new Date(realNow + offsetMs).toISOString(),
  offset_days: offsetMs / DAY_MS,
});

export async function readClock(db: Db, partnerId: string, realNow: number) {
  return clockView((await clockOf(db, partnerId)).offsetMs, realNow);
}

export async function moveClock(db: Db, partnerId: string, days: number) {
  return advanceClock(db, partnerId, days * DAY_MS);
}
