CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`type` text NOT NULL,
	`livemode` integer NOT NULL,
	`data` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_partner` ON `events` (`partner_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_partner_type` ON `events` (`partner_id`,`type`,`id`);