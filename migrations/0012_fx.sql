CREATE TABLE `fx_quotes` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`sell_currency` text NOT NULL,
	`buy_currency` text NOT NULL,
	`sell_amount` integer NOT NULL,
	`buy_amount` integer NOT NULL,
	`rate` text NOT NULL,
	`fixed_side` text NOT NULL,
	`expires_at` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fx_quotes_partner_key` ON `fx_quotes` (`partner_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `fx_quotes_partner` ON `fx_quotes` (`partner_id`,`id`);--> statement-breakpoint
CREATE TABLE `fx_conversions` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`quote_id` text NOT NULL,
	`status` text NOT NULL,
	`sell_currency` text NOT NULL,
	`buy_currency` text NOT NULL,
	`sell_amount` integer NOT NULL,
	`buy_amount` integer NOT NULL,
	`rate` text NOT NULL,
	`event_id` text NOT NULL,
	`event_published_at` text,
	`completed_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fx_conversions_quote` ON `fx_conversions` (`quote_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `fx_conversions_partner_key` ON `fx_conversions` (`partner_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `fx_conversions_partner` ON `fx_conversions` (`partner_id`,`id`);
