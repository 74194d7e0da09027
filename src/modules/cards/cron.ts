import type { CronContext, CronResult } from "../../platform/cron";
import { followUpApplications } from "./applications";
import { cardSystemFor } from "./connector";

/**
 * Asks the card system about the orders still in production and completes those it has issued,
 * without waiting for a read; not while the product is switched off (PRODUCTS_DISABLED).
 */
export async function followUpCardApplications(ctx: CronContext, limit: number): Promise<CronResult> {
  if (ctx.config.PRODUCTS_DISABLED.includes("cards")) return {};
  return followUpApplications(
    { db: ctx.db, events: ctx.env.EVENTS_QUEUE, config: ctx.config },
    { limit, system: () => cardSystemFor(ctx.config), log: ctx.log },
  );
}
