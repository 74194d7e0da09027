CREATE TABLE `kyc_verifications` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`livemode` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`identifier_type` text NOT NULL,
	`full_name_check` text NOT NULL,
	`birth_date_check` text NOT NULL,
	`document_number_check` text NOT NULL,
	`outcome` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kyc_verifications_partner_key` ON `kyc_verifications` (`partner_id`,`idempotency_key`);
