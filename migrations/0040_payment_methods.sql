-- Payment methods and customers (src/modules/payment-methods, docs/payment-methods.md). No table here
-- ever holds a full card number or a CVC: the card vault keeps the card, these rows only its
-- vault reference, brand, first 6 / last 4 digits, issuing country, fingerprint and expiry.
--
-- A partner's publishable keys (`pk_test_…` / `pk_live_…`): public by design, they only tokenize.
-- One is active per partner; a rotated one keeps working until `expires_at`.
CREATE TABLE `publishable_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`key` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `publishable_keys_key` ON `publishable_keys` (`key`);
--> statement-breakpoint
CREATE INDEX `publishable_keys_partner` ON `publishable_keys` (`partner_id`,`created_at`);
--> statement-breakpoint
-- Single-use card tokens (`pm_…`) from POST /v1/tokens: consumed once, by one payment's object
-- (`consumed_by` its name) or by one attach; a consumer that asks again gets it again (a retry).
CREATE TABLE `payment_method_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`vault_ref` text NOT NULL,
	`brand` text NOT NULL,
	`first6` text NOT NULL,
	`last4` text NOT NULL,
	`country` text,
	`fingerprint` text NOT NULL,
	`exp_month` integer NOT NULL,
	`exp_year` integer NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`consumed_by` text,
	`consumed_at` text
);
--> statement-breakpoint
CREATE INDEX `payment_method_tokens_partner` ON `payment_method_tokens` (`partner_id`,`id`);
--> statement-breakpoint
-- A partner's customers (`cus_…`): as little personal data as the partner chooses to send.
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`name` text,
	`email` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `customers_partner` ON `customers` (`partner_id`,`id`);
--> statement-breakpoint
-- A customer's saved, reusable cards (`spm_…`), each from one single-use token (`source_token`,
-- unique: an attach retried finds its method), with the customer's consent.
CREATE TABLE `saved_payment_methods` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`customer_id` text NOT NULL,
	`source_token` text NOT NULL,
	`vault_ref` text NOT NULL,
	`brand` text NOT NULL,
	`first6` text NOT NULL,
	`last4` text NOT NULL,
	`country` text,
	`fingerprint` text NOT NULL,
	`exp_month` integer NOT NULL,
	`exp_year` integer NOT NULL,
	`consent_accepted_at` text NOT NULL,
	`consent_reference` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_payment_methods_source` ON `saved_payment_methods` (`source_token`);
--> statement-breakpoint
CREATE INDEX `saved_payment_methods_customer` ON `saved_payment_methods` (`partner_id`,`customer_id`,`id`);
