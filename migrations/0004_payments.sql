CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`object_name` text NOT NULL,
	`status` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payments_partner` ON `payments` (`partner_id`,`id`);--> statement-breakpoint
CREATE INDEX `payments_partner_status` ON `payments` (`partner_id`,`status`,`id`);