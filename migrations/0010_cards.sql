CREATE TABLE `card_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`type` text NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`reference` text,
	`applicant` text NOT NULL,
	`metadata` text NOT NULL,
	`livemode` integer NOT NULL,
	`submitted_at` text,
	`completed_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `card_applications_partner_key` ON `card_applications` (`partner_id`,`idempotency_key`);--> statement-breakpoint
CREATE TABLE `cards` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`origin` text NOT NULL,
	`card_ref` text NOT NULL,
	`application_id` text,
	`attachment_id` text,
	`type` text,
	`currency` text,
	`first6` text NOT NULL,
	`last4` text NOT NULL,
	`holder_name` text NOT NULL,
	`expiry_month` integer NOT NULL,
	`expiry_year` integer NOT NULL,
	`phone_number` text,
	`status` text NOT NULL,
	`block_reason` text,
	`block_key` text,
	`blocked_at` text,
	`livemode` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cards_card_ref` ON `cards` (`card_ref`);--> statement-breakpoint
CREATE UNIQUE INDEX `cards_application` ON `cards` (`application_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `cards_attachment` ON `cards` (`attachment_id`);--> statement-breakpoint
CREATE INDEX `cards_partner` ON `cards` (`partner_id`,`id`);--> statement-breakpoint
CREATE TABLE `card_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`card_ref` text NOT NULL,
	`first6` text NOT NULL,
	`last4` text NOT NULL,
	`holder_name` text NOT NULL,
	`expiry_month` integer NOT NULL,
	`expiry_year` integer NOT NULL,
	`phone_number` text NOT NULL,
	`code_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`expires_at` text NOT NULL,
	`confirm_key` text,
	`livemode` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `card_attachments_partner_key` ON `card_attachments` (`partner_id`,`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `card_attachments_live` ON `card_attachments` (`card_ref`,`phone_number`) WHERE status in ('pending', 'exhausted');
