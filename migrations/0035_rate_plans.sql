-- Rate plans on contracts (src/modules/billing, docs/billing.md): a partner's billing account (when
-- billing starts, the periods' anchor, the tax rate and how invoices are settled) and its plan's
-- versions. A version prices every period that starts on or after its `effective_from` (YYYY-MM-DD),
-- until a later version's; versions are never changed, only added.
CREATE TABLE `billing_accounts` (
	`partner_id` text PRIMARY KEY NOT NULL REFERENCES `partners`(`id`),
	`starts_on` text NOT NULL,
	`anchor` text,
	`tax_bps` integer DEFAULT 0 NOT NULL,
	`settlement` text DEFAULT 'invoice' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rate_plans` (
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`version` integer NOT NULL,
	`plan` text NOT NULL,
	`effective_from` text NOT NULL,
	`change_request_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`partner_id`, `version`)
);
