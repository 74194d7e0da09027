-- Risk (src/modules/risk, docs/risk.md): each partner's ordered rules, its allow and block lists, its
-- scoring settings, the review queue of held payments (a projection of each payment's
-- `risk.review`, whose truth is the payment's object) and the audit of every change to rules,
-- lists and settings. Velocity lives in the partner's RiskVelocity Durable Object, not here.
CREATE TABLE `risk_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`conditions` text NOT NULL,
	`action` text NOT NULL,
	`mode` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `risk_rules_partner_position` ON `risk_rules` (`partner_id`,`position`,`id`);
--> statement-breakpoint
CREATE TABLE `risk_list_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`list` text NOT NULL,
	`type` text NOT NULL,
	`value` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `risk_list_entries_value` ON `risk_list_entries` (`partner_id`,`list`,`type`,`value`);
--> statement-breakpoint
CREATE TABLE `risk_settings` (
	`partner_id` text PRIMARY KEY NOT NULL REFERENCES `partners`(`id`),
	`scoring_timeout_ms` integer NOT NULL,
	`scoring_fallback` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `risk_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`payment_id` text NOT NULL,
	`object_name` text NOT NULL,
	`status` text NOT NULL,
	`snapshot` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `risk_reviews_partner_status` ON `risk_reviews` (`partner_id`,`status`,`id`);
--> statement-breakpoint
CREATE TABLE `risk_audit` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`client_id` text NOT NULL,
	`request_id` text NOT NULL,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`before` text,
	`after` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `risk_audit_partner` ON `risk_audit` (`partner_id`,`id`);
