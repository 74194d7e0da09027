import type { CronContext, CronResult } from "../../platform/cron";
import { redriveDeliveries } from "./delivery";

/** Sends again the deliveries still pending and untouched for QUEUE_REDRIVE_AFTER_SECONDS: their message was lost. */
export async function redriveWebhookDeliveries(ctx: CronContext, limit: number): Promise<CronResult> {
  const deliveries = await redriveDeliveries(
    { db: ctx.db, config: ctx.config, deliveries: ctx.env.WEBHOOKS_QUEUE },
    { olderThanMs: ctx.config.QUEUE_REDRIVE_AFTER_SECONDS * 1000, limit, now: ctx.now },
  );
  if (deliveries > 0) ctx.log.warn("queue work re-driven", { deliveries });
  return { deliveries };
}
