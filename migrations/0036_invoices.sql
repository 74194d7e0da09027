-- Invoices (src/modules/billing/invoicing, docs/invoices.md): the documents a period's close issues
-- (`kind` invoice) and the corrections that reference them (`kind` credit_note), their lines, the
-- gapless number series per environment × year × series, and the sandbox's test clocks.
-- An issued document is immutable: the triggers below refuse every change but its payment
-- (`status`, `paid_at`) and its PDF (`pdf_key`), and every delete.
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`kind` text NOT NULL,
	`number` text NOT NULL,
	`status` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`plan_version` integer NOT NULL,
	`currency` text NOT NULL,
	`subtotal` integer NOT NULL,
	`credited` integer NOT NULL,
	`tax_bps` integer NOT NULL,
	`tax` integer NOT NULL,
	`total` integer NOT NULL,
	`unapplied_credits` text DEFAULT '[]' NOT NULL,
	`unapplied_refunds_minor` integer DEFAULT 0 NOT NULL,
	`usage_from` text NOT NULL,
	`usage_to` text NOT NULL,
	`credit_note_for` text REFERENCES `invoices`(`id`),
	`reason` text,
	`settlement` text NOT NULL,
	`pdf_key` text,
	`ledger_entry_id` text,
	`issued_at` text NOT NULL,
	`paid_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
-- Closing a period twice issues one invoice: the second close's batch fails here, whole.
CREATE UNIQUE INDEX `invoices_one_per_period` ON `invoices` (`partner_id`, `period_start`) WHERE `kind` = 'invoice';
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number` ON `invoices` (`number`);
--> statement-breakpoint
CREATE INDEX `invoices_partner` ON `invoices` (`partner_id`, `id`);
--> statement-breakpoint
CREATE INDEX `invoices_credit_note_for` ON `invoices` (`credit_note_for`);
--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`invoice_id` text NOT NULL REFERENCES `invoices`(`id`),
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`description` text NOT NULL,
	`product` text,
	`tier` integer,
	`quantity` integer NOT NULL,
	`unit_price_minor` integer NOT NULL,
	`unit_price_per` integer NOT NULL,
	`amount` integer NOT NULL,
	PRIMARY KEY(`invoice_id`, `position`)
);
--> statement-breakpoint
-- `next` is the number the series' next document takes; a number is taken only in the batch that
-- issues its document, so a failed or raced issue leaves no gap.
CREATE TABLE `invoice_counters` (
	`environment` text NOT NULL,
	`year` integer NOT NULL,
	`series` text NOT NULL,
	`next` integer NOT NULL,
	PRIMARY KEY(`environment`, `year`, `series`)
);
--> statement-breakpoint
-- The sandbox's test clocks: a partner's billing time is real time plus `offset_ms` (never negative).
CREATE TABLE `billing_clocks` (
	`partner_id` text PRIMARY KEY NOT NULL REFERENCES `partners`(`id`),
	`offset_ms` integer DEFAULT 0 NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `invoices_immutable` BEFORE UPDATE ON `invoices`
WHEN NEW.`id` IS NOT OLD.`id` OR NEW.`partner_id` IS NOT OLD.`partner_id` OR NEW.`kind` IS NOT OLD.`kind`
	OR NEW.`number` IS NOT OLD.`number` OR NEW.`period_start` IS NOT OLD.`period_start`
	OR NEW.`period_end` IS NOT OLD.`period_end` OR NEW.`plan_version` IS NOT OLD.`plan_version`
	OR NEW.`currency` IS NOT OLD.`currency` OR NEW.`subtotal` IS NOT OLD.`subtotal`
	OR NEW.`credited` IS NOT OLD.`credited` OR NEW.`tax_bps` IS NOT OLD.`tax_bps` OR NEW.`tax` IS NOT OLD.`tax`
	OR NEW.`total` IS NOT OLD.`total` OR NEW.`unapplied_credits` IS NOT OLD.`unapplied_credits`
	OR NEW.`usage_from` IS NOT OLD.`usage_from` OR NEW.`usage_to` IS NOT OLD.`usage_to`
	OR NEW.`credit_note_for` IS NOT OLD.`credit_note_for` OR NEW.`issued_at` IS NOT OLD.`issued_at`
	OR NEW.`ledger_entry_id` IS NOT OLD.`ledger_entry_id`
	OR (OLD.`status` = 'paid' AND NEW.`status` IS NOT 'paid')
BEGIN
	SELECT RAISE(ABORT, 'an issued invoice is immutable: correct it with a credit note');
END;
--> statement-breakpoint
CREATE TRIGGER `invoices_no_delete` BEFORE DELETE ON `invoices`
BEGIN
	SELECT RAISE(ABORT, 'an issued invoice is immutable: correct it with a credit note');
END;
--> statement-breakpoint
CREATE TRIGGER `invoice_lines_no_update` BEFORE UPDATE ON `invoice_lines`
BEGIN
	SELECT RAISE(ABORT, 'an issued invoice is immutable: correct it with a credit note');
END;
--> statement-breakpoint
CREATE TRIGGER `invoice_lines_no_delete` BEFORE DELETE ON `invoice_lines`
BEGIN
	SELECT RAISE(ABORT, 'an issued invoice is immutable: correct it with a credit note');
END;
