import type { CronContext, CronResult } from "../../platform/cron";
import { scoringFor } from "./connector";
import { followUpReviews } from "./lending";

/**
 * Asks the scoring system again about the applications under review, without waiting for a
 * read; not while the product is switched off (PRODUCTS_DISABLED).
 */
export async function followUpLoanApplications(ctx: CronContext, limit: number): Promise<CronResult> {
  if (ctx.config.PRODUCTS_DISABLED.includes("lending")) return {};
  return followUpReviews(
    { db: ctx.db, queue: ctx.env.EVENTS_QUEUE },
    { limit, scoring: () => scoringFor(ctx.config), log: ctx.log },
  );
}
