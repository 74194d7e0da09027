-- Reconciliation (src/modules/reconciliation, docs/reconciliation.md): the providers' settlement
-- reports (the raw file and its lines), each run over a report with what it found per line,
-- booked movement and stuck payment, and the exceptions operators resolve.
CREATE TABLE `settlement_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`settlement_date` text NOT NULL,
	`sha256` text NOT NULL,
	`source` text NOT NULL,
	`line_count` integer NOT NULL,
	`raw` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
-- The same file for the same provider and day is the same report.
CREATE UNIQUE INDEX `settlement_reports_content` ON `settlement_reports` (`sha256`,`provider`,`settlement_date`);
--> statement-breakpoint
CREATE INDEX `settlement_reports_day` ON `settlement_reports` (`provider`,`settlement_date`);
--> statement-breakpoint
CREATE TABLE `settlement_report_lines` (
	`report_id` text NOT NULL REFERENCES `settlement_reports`(`id`),
	`line` integer NOT NULL,
	`type` text NOT NULL,
	`provider_reference` text NOT NULL,
	`payment_id` text NOT NULL,
	`refund_id` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`fee` integer NOT NULL,
	`net` integer NOT NULL,
	PRIMARY KEY(`report_id`, `line`)
);
--> statement-breakpoint
CREATE TABLE `reconciliation_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL REFERENCES `settlement_reports`(`id`),
	`provider` text NOT NULL,
	`settlement_date` text NOT NULL,
	`counts` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reconciliation_runs_report` ON `reconciliation_runs` (`report_id`,`id`);
--> statement-breakpoint
CREATE TABLE `reconciliation_exceptions` (
	`id` text PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`kind` text NOT NULL,
	`provider` text NOT NULL,
	`settlement_date` text,
	`payment_id` text,
	`refund_id` text,
	`detail` text NOT NULL,
	`status` text NOT NULL,
	`first_run_id` text NOT NULL,
	`last_run_id` text NOT NULL,
	`resolution_reason` text,
	`resolution_note` text,
	`resolved_by` text,
	`resolved_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
-- One exception per finding, however many runs find it again.
CREATE UNIQUE INDEX `reconciliation_exceptions_fingerprint` ON `reconciliation_exceptions` (`fingerprint`);
--> statement-breakpoint
CREATE INDEX `reconciliation_exceptions_status` ON `reconciliation_exceptions` (`status`,`id`);
--> statement-breakpoint
CREATE TABLE `reconciliation_items` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL REFERENCES `reconciliation_runs`(`id`),
	`kind` text NOT NULL,
	`line` integer,
	`payment_id` text,
	`refund_id` text,
	`detail` text NOT NULL,
	`exception_id` text
);
--> statement-breakpoint
CREATE INDEX `reconciliation_items_run` ON `reconciliation_items` (`run_id`,`kind`,`id`);
--> statement-breakpoint
-- The payments a run checks for being stuck, by status and age: only the statuses that can be.
CREATE INDEX `payments_open_by_update` ON `payments` (`status`,`updated_at`) WHERE `status` IN ('authorized','pending','requires_action');
