ALTER TABLE `events` ADD `enqueued_at` text;--> statement-breakpoint
-- Events stored before the outbox were already sent (or were never meant to be): not re-sent.
UPDATE `events` SET `enqueued_at` = `created_at`;--> statement-breakpoint
CREATE INDEX `events_pending` ON `events` (`created_at`) WHERE "events"."enqueued_at" IS NULL;
