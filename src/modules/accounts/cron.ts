import type { CronContext, CronResult } from "../../platform/cron";
import { expireDueConsents } from "./consents";

/**
 * Makes Expired the consents past their `expires_at`, with `consent.expired`, without waiting
 * for a read. Never ahead of the clock: a run scheduled later than now expires only what is due now.
 */
export async function expireConsents(ctx: CronContext, limit: number): Promise<CronResult> {
  const deps = { db: ctx.db, queue: ctx.env.EVENTS_QUEUE, config: ctx.config, log: ctx.log };
  return expireDueConsents(deps, { now: new Date(Math.min(ctx.now, Date.now())), limit });
}
