CREATE TABLE `consents` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`status` text NOT NULL,
	`scopes` text NOT NULL,
	`expires_at` text NOT NULL,
	`authorisation_url` text NOT NULL,
	`customer_ref` text,
	`status_updated_at` text NOT NULL,
	`authorised_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consents_partner_key` ON `consents` (`partner_id`,`idempotency_key`);
