-- The event outbox (events.enqueued_at, 0017) tracks every send: the per-row published flags are gone.
ALTER TABLE `fx_conversions` DROP COLUMN `event_published_at`;--> statement-breakpoint
ALTER TABLE `loan_applications` DROP COLUMN `event_published_at`;--> statement-breakpoint
ALTER TABLE `loans` DROP COLUMN `events_published_at`;