import type { CronContext, CronResult } from "../../platform/cron";
import { expireOverdue } from "./service";

/** The `disputes.expire` job (docs/cron.md): disputes past `evidence_due_by` without evidence are lost. */
export async function expireDisputes(ctx: CronContext, limit: number): Promise<CronResult> {
  return expireOverdue({ db: ctx.db, events: ctx.env.EVENTS_QUEUE, log: ctx.log }, ctx.now, limit);
}
