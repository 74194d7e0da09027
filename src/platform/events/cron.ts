import type { CronContext, CronResult } from "../cron";
import { drainOutbox, redriveEvents } from "./outbox";

/** Older than this, a pending event was missed by its producer's own send after the commit. */
const OUTBOX_GRACE_MS = 30_000;

/** The cron's outbox drainer: sends the events a commit stored but did not send, oldest first. */
export async function drainEventOutbox(ctx: CronContext, limit: number): Promise<CronResult> {
  return drainOutbox(ctx.db, ctx.env.EVENTS_QUEUE, {
    olderThanMs: OUTBOX_GRACE_MS,
    limit,
    now: ctx.now,
    log: ctx.log,
  });
}

/** Sends again the events sent but never fanned out for QUEUE_REDRIVE_AFTER_SECONDS: their message was lost. */
export async function redriveEventQueue(ctx: CronContext, limit: number): Promise<CronResult> {
  const olderThanMs = ctx.config.QUEUE_REDRIVE_AFTER_SECONDS * 1000;
  const events = await redriveEvents(ctx.db, ctx.env.EVENTS_QUEUE, {
    olderThanMs,
    limit,
    now: ctx.now,
    log: ctx.log,
  });
  if (events.stale > 0) ctx.log.warn("queue work re-driven", { events: events.sent });
  return events;
}
