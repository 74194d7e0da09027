import { createApp } from "./app";
import { redriveDeliveries } from "./modules/webhooks/delivery";
import { createDb } from "./platform/db/client";
import { type Env, loadConfig } from "./platform/env";
import { drainOutbox, redriveEvents } from "./platform/events/outbox";
import { createLogger } from "./platform/lib/logger";
import { handleQueue } from "./queues";

export { IdempotencyKey } from "../durable-objects/idempotency";
export { PaymentObject } from "../durable-objects/payment";
export { PayoutObject } from "../durable-objects/payout";
export { RateLimiter } from "../durable-objects/rate-limiter";
export { SandboxProvisioning } from "./modules/onboarding/sandbox-entrypoint";

const app = createApp();

/** Older than this, a pending event was missed by its producer's own send after the commit. */
const OUTBOX_GRACE_MS = 30_000;
/** Per run (every minute): a backlog beyond this drains over the next runs. */
const OUTBOX_DRAIN_LIMIT = 500;
/** Re-driven per run and kind (one queue batch). */
const REDRIVE_LIMIT = 100;

/**
 * The cron trigger, as of the run's scheduled time: sends the events the outbox still holds,
 * then sends again what a queue took and never finished (QUEUE_REDRIVE_AFTER_SECONDS).
 */
async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const config = loadConfig(env);
  const log = createLogger(config.LOG_LEVEL);
  const db = createDb(env.DB);
  const now = controller.scheduledTime;
  const drained = await drainOutbox(db, env.EVENTS_QUEUE, {
    olderThanMs: OUTBOX_GRACE_MS,
    limit: OUTBOX_DRAIN_LIMIT,
    now,
    log,
  });
  if (drained.pending > 0) log.info("event outbox drained", drained);
  const redrive = { olderThanMs: config.QUEUE_REDRIVE_AFTER_SECONDS * 1000, limit: REDRIVE_LIMIT, now };
  const events = await redriveEvents(db, env.EVENTS_QUEUE, { ...redrive, log });
  const deliveries = await redriveDeliveries({ db, config, deliveries: env.WEBHOOKS_QUEUE }, redrive);
  if (events.stale > 0 || deliveries > 0)
    log.warn("queue work re-driven", { events: events.sent, deliveries });
}

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled,
} satisfies ExportedHandler<Env>;
