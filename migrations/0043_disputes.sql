-- Disputes (chargebacks; src/modules/disputes, docs/disputes.md). A dispute is state in D1: each
-- transition is one batch of a conditional UPDATE (WHERE status = the status it leaves, and a fresh
-- `transition_id`), the ledger entry and the event, both written only when the row carries that
-- transition id: the change, its posting and its event commit together or not at all.
-- One dispute per payment (the card schemes' rule: a chargeback per transaction); the provider's
-- own reference is unique per provider.
CREATE TABLE `disputes` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`payment_id` text NOT NULL,
	`provider` text NOT NULL,
	`provider_dispute_reference` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`fee` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`evidence` text NOT NULL,
	`evidence_due_by` text NOT NULL,
	`evidence_submitted_at` text,
	`livemode` integer NOT NULL,
	`transition_id` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`closed_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `disputes_payment` ON `disputes` (`payment_id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `disputes_provider_reference` ON `disputes` (`provider`,`provider_dispute_reference`);
--> statement-breakpoint
CREATE INDEX `disputes_partner` ON `disputes` (`partner_id`,`id`);
--> statement-breakpoint
CREATE INDEX `disputes_partner_status` ON `disputes` (`partner_id`,`status`,`id`);
--> statement-breakpoint
-- The expiry cron's scan: disputes still waiting for evidence, by due date.
CREATE INDEX `disputes_due` ON `disputes` (`status`,`evidence_due_by`);
--> statement-breakpoint
-- The acquirer's notifications, once by their id: a replay finds its row and changes nothing.
CREATE TABLE `acquirer_notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`type` text NOT NULL,
	`dispute_id` text,
	`received_at` text NOT NULL
);
--> statement-breakpoint
-- A notification names the payment by the acquirer's reference: found by provider and reference.
CREATE INDEX `payments_provider_reference` ON `payments` (json_extract(`snapshot`, '$.provider'), json_extract(`snapshot`, '$.provider_reference'));
--> statement-breakpoint
-- The contract's fee per dispute (docs/disputes.md), in the minor unit of the disputed currency.
ALTER TABLE `partner_contracts` ADD COLUMN `dispute_fee_minor` integer DEFAULT 0 NOT NULL;
