-- The re-drive of work a queue never finished (src/platform/events/outbox.ts, src/modules/webhooks):
-- when an event's fan-out consumer finished, so that one sent but never consumed (a message lost
-- with the queue's consumer, a purged queue) is sent again by the cron.
ALTER TABLE `events` ADD `fanned_out_at` text;--> statement-breakpoint
-- Events already sent were consumed (or were never meant to be, a ping): not re-driven.
UPDATE `events` SET `fanned_out_at` = `enqueued_at` WHERE `enqueued_at` IS NOT NULL;--> statement-breakpoint
CREATE INDEX `events_unconsumed` ON `events` (`enqueued_at`) WHERE "events"."enqueued_at" IS NOT NULL AND "events"."fanned_out_at" IS NULL;--> statement-breakpoint
-- Deliveries still pending, by when they were last touched: what the delivery re-drive reads.
CREATE INDEX `webhook_deliveries_pending` ON `webhook_deliveries` (`updated_at`) WHERE "webhook_deliveries"."status" = 'pending';
