import { applyWindow } from "./modules/billing/metering/consumer";
import type { MeteringMessage } from "./modules/billing/metering/model";
import { notificationConnectorFor } from "./modules/onboarding/connector";
import { isNotificationEvent } from "./modules/onboarding/model";
import { sendNotification } from "./modules/onboarding/notify";
import {
  type DeliveryDeps,
  type DeliveryMessage,
  deliver,
  fanOut,
  recordDeadLetter,
} from "./modules/webhooks/delivery";
import { createDb } from "./platform/db/client";
import { type Env, loadConfig } from "./platform/env";
import type { EventMessage } from "./platform/events/events";
import { createLogger } from "./platform/lib/logger";

/** Where a message goes that a consumer failed on (D1 down…): the queue's own backoff. */
const CONSUMER_ERROR_DELAY_SECONDS = 10;

/**
 * The queue consumers, by queue: events fan out to deliveries, deliveries are attempted,
 * metering windows are added to metered_usage, dead letters are recorded. Every message is acked or retried on its own, never the
 * whole batch for one failure; a batch's messages run concurrently.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = loadConfig(env);
  const db = createDb(env.DB);
  const log = createLogger(config.LOG_LEVEL);
  const deps: DeliveryDeps = {
    db,
    config,
    deliveries: env.WEBHOOKS_QUEUE,
    events: env.EVENTS_QUEUE,
    deadLetters: env.DEAD_LETTERS,
  };
  const kind = batch.queue.slice(batch.queue.lastIndexOf("-") + 1);
  await Promise.all(
    batch.messages.map(async (msg) => {
      try {
        if (kind === "events") {
          const { eventId } = msg.body as EventMessage;
          // A notification (the onboarding's emails) is sent, not fanned out to webhooks.
          if (isNotificationEvent(eventId))
            await sendNotification(
              { db, config, notifications: () => notificationConnectorFor(config) },
              eventId,
            );
          else await fanOut(deps, eventId);
        } else if (kind === "webhooks") {
          const decision = await deliver(deps, (msg.body as DeliveryMessage).deliveryId, msg.attempts);
          if (decision.kind === "retry") {
            msg.retry({ delaySeconds: decision.delaySeconds });
            return;
          }
        } else if (kind === "metering") {
          // Counted once by the window's id, whatever the delivery (docs/metering.md).
          await applyWindow(env.DB, msg.body as MeteringMessage, Date.now());
        } else if (kind === "letters") {
          await recordDeadLetter(db, msg.body as DeliveryMessage | EventMessage, msg.timestamp);
        } else {
          log.error("message on an unknown queue", { queue: batch.queue });
        }
        msg.ack();
      } catch (err) {
        log.error("queue consumer failed", {
          queue: batch.queue,
          error: err instanceof Error ? err.name : "unknown",
          attempts: msg.attempts,
        });
        msg.retry({ delaySeconds: CONSUMER_ERROR_DELAY_SECONDS });
      }
    }),
  );
}
