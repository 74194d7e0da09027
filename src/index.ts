import { createApp } from "./app";
import { createDb } from "./platform/db/client";
import { type Env, loadConfig } from "./platform/env";
import { drainOutbox } from "./platform/events/outbox";
import { createLogger } from "./platform/lib/logger";
import { handleQueue } from "./queues";

export { IdempotencyKey } from "../durable-objects/idempotency";
export { PaymentObject } from "../durable-objects/payment";
export { PayoutObject } from "../durable-objects/payout";
export { RateLimiter } from "../durable-objects/rate-limiter";

const app = createApp();

/** Older than this, a pending event was missed by its producer's own send after the commit. */
const OUTBOX_GRACE_MS = 30_000;
/** Per run (every minute): a backlog beyond this drains over the next runs. */
const OUTBOX_DRAIN_LIMIT = 500;

/** The cron trigger: sends the events the outbox still holds, as of the run's scheduled time. */
async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const log = createLogger(loadConfig(env).LOG_LEVEL);
  const drained = await drainOutbox(createDb(env.DB), env.EVENTS_QUEUE, {
    olderThanMs: OUTBOX_GRACE_MS,
    limit: OUTBOX_DRAIN_LIMIT,
    now: controller.scheduledTime,
    log,
  });
  if (drained.pending > 0) log.info("event outbox drained", drained);
}

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled,
} satisfies ExportedHandler<Env>;
