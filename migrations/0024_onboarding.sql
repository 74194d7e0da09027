-- The control plane's onboarding records (src/modules/onboarding/storage.ts, docs/onboarding.md).
-- Used in production's database; the sandbox's has the same empty tables.
CREATE TABLE `registrations` (
	`id` text PRIMARY KEY NOT NULL,
	`company_name` text NOT NULL,
	`country` text NOT NULL,
	`contact_email` text NOT NULL,
	`password_hash` text NOT NULL,
	`products_wanted` text NOT NULL CHECK (json_valid(`products_wanted`) AND json_type(`products_wanted`) = 'array'),
	`use_case` text NOT NULL,
	`status` text NOT NULL CHECK (`status` IN ('provisioning', 'registered')),
	`sandbox_partner_id` text NOT NULL,
	`registered_from_ip` text,
	`email_verified_at` text,
	`verification_nonce` text,
	`verification_expires_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `registrations_contact_email` ON `registrations` (`contact_email`);
--> statement-breakpoint
CREATE TABLE `terms_documents` (
	`version` text PRIMARY KEY NOT NULL,
	`text` text NOT NULL,
	`sha256` text NOT NULL,
	`published_at` text NOT NULL,
	`accept_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `terms_documents_published` ON `terms_documents` (`published_at`);
--> statement-breakpoint
-- Published terms never change: a new text is a new version.
CREATE TRIGGER `terms_documents_immutable` BEFORE UPDATE ON `terms_documents`
BEGIN SELECT RAISE(ABORT, 'terms documents are immutable'); END;
--> statement-breakpoint
CREATE TABLE `terms_acceptances` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`version` text NOT NULL,
	`sha256` text NOT NULL,
	`accepted_by_kind` text NOT NULL CHECK (`accepted_by_kind` IN ('user', 'credential')),
	`accepted_by` text NOT NULL,
	`ip` text,
	`accepted_at` text NOT NULL,
	FOREIGN KEY (`version`) REFERENCES `terms_documents`(`version`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `terms_acceptances_partner_version` ON `terms_acceptances` (`partner_id`,`version`);
--> statement-breakpoint
-- The record of who accepted what is append-only.
CREATE TRIGGER `terms_acceptances_no_update` BEFORE UPDATE ON `terms_acceptances`
BEGIN SELECT RAISE(ABORT, 'terms acceptances are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `terms_acceptances_no_delete` BEFORE DELETE ON `terms_acceptances`
BEGIN SELECT RAISE(ABORT, 'terms acceptances are append-only'); END;
