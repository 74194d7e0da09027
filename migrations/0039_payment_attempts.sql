-- Provider attempts (src/modules/payments/storage.ts `paymentAttempts`, docs/orchestration.md): one row
-- per authorization attempt a payment made at an acquirer, written by the payment's object with its
-- D1 projection. Orchestration records them (`attempts[]` on the payment); operational metrics read
-- them (approve rate, decline reasons, latency, fallback share per partner, provider, BIN country and method).
CREATE TABLE `payment_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`payment_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`seq` integer NOT NULL,
	`provider` text NOT NULL,
	`outcome` text NOT NULL,
	`decline_reason` text,
	`fallback` integer DEFAULT 0 NOT NULL,
	`latency_ms` integer NOT NULL,
	`method` text NOT NULL,
	`card_brand` text,
	`bin_country` text,
	`currency` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_attempts_payment_seq` ON `payment_attempts` (`payment_id`,`seq`);
--> statement-breakpoint
CREATE INDEX `payment_attempts_partner_time` ON `payment_attempts` (`partner_id`,`created_at`);
--> statement-breakpoint
CREATE INDEX `payment_attempts_provider_time` ON `payment_attempts` (`provider`,`created_at`);
