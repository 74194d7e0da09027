CREATE TABLE `partner_contracts` (
	`partner_id` text PRIMARY KEY NOT NULL,
	`products` text NOT NULL,
	`scopes` text NOT NULL,
	`tier` text NOT NULL,
	`rate_limit_per_second` integer,
	`daily_quota` integer,
	`data_access` text DEFAULT '[]' NOT NULL,
	`fee_bps` integer DEFAULT 0 NOT NULL,
	`fee_fixed_minor` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `partner_credentials` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`consumer_key` text NOT NULL,
	`secret_hash` text NOT NULL,
	`description` text,
	`status` text DEFAULT 'active' NOT NULL,
	`revoked_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partner_credentials_consumer_key` ON `partner_credentials` (`consumer_key`);--> statement-breakpoint
CREATE INDEX `partner_credentials_partner` ON `partner_credentials` (`partner_id`);--> statement-breakpoint
CREATE TABLE `partner_users` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partner_users_partner_username` ON `partner_users` (`partner_id`,`username`);--> statement-breakpoint
CREATE TABLE `partners` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`environment` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
