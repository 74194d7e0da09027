-- Payment orchestration (docs/orchestration.md). `routing_rules`: a partner's routing rules and default
-- priority list, set through the admin API (src/modules/routing/storage.ts); no row: the environment's
-- default. `sandbox_acquirer_attempts`: the second sandbox acquirer's (`sandbox_b`) own records of each
-- attempt by its idempotency key (src/modules/payments/connector/sandbox-b-records.ts), what a real
-- acquirer keeps on its side, so that retrieving an attempt after a timeout has something to find.
CREATE TABLE `routing_rules` (
	`partner_id` text PRIMARY KEY NOT NULL REFERENCES `partners`(`id`),
	`rules` text NOT NULL,
	`default_priority` text,
	`version` integer NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sandbox_acquirer_attempts` (
	`idempotency_key` text PRIMARY KEY NOT NULL,
	`payment_id` text NOT NULL,
	`status` text NOT NULL,
	`reference` text NOT NULL,
	`answer` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`captured` integer DEFAULT 0 NOT NULL,
	`refunded` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sandbox_acquirer_attempts_payment` ON `sandbox_acquirer_attempts` (`payment_id`);
--> statement-breakpoint
CREATE INDEX `sandbox_acquirer_attempts_reference` ON `sandbox_acquirer_attempts` (`reference`);
