CREATE TABLE `loan_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`status` text NOT NULL,
	`full_name` text NOT NULL,
	`document_number` text NOT NULL,
	`phone_number` text NOT NULL,
	`birth_date` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`term_months` integer NOT NULL,
	`scoring_reference` text,
	`offer_amount` integer,
	`offer_annual_rate_bps` integer,
	`offer_term_months` integer,
	`offer_monthly_payment` integer,
	`offer_total_repayable` integer,
	`offer_expires_at` text,
	`decline_code` integer,
	`failure_code` integer,
	`loan_id` text,
	`decided_at` text,
	`event_id` text,
	`event_published_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `loan_applications_partner_key` ON `loan_applications` (`partner_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `loan_applications_partner` ON `loan_applications` (`partner_id`,`id`);--> statement-breakpoint
CREATE TABLE `loans` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`application_id` text NOT NULL,
	`accept_key` text NOT NULL,
	`status` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`annual_rate_bps` integer NOT NULL,
	`term_months` integer NOT NULL,
	`monthly_payment` integer NOT NULL,
	`total_repayable` integer NOT NULL,
	`accepted_event_id` text NOT NULL,
	`disbursed_event_id` text NOT NULL,
	`events_published_at` text,
	`disbursed_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `loans_application` ON `loans` (`application_id`);--> statement-breakpoint
CREATE INDEX `loans_partner` ON `loans` (`partner_id`,`id`);
