-- Dated API versions (docs/versions.md, src/platform/versions/). A partner's contract is pinned to
-- a version; contracts written before versions had dates are pinned to the first one, 2026-06-01
-- (the API as it was then), and new partners to the current version (set when provisioned).
ALTER TABLE `partner_contracts` ADD `api_version` text DEFAULT '2026-06-01' NOT NULL;--> statement-breakpoint
-- A webhook endpoint renders its events in its own version; existing endpoints keep the shape they
-- were built against.
ALTER TABLE `webhook_endpoints` ADD `api_version` text DEFAULT '2026-06-01' NOT NULL;--> statement-breakpoint
-- Which partner calls which version: counted per isolate, added here at most once a minute per
-- isolate (src/platform/versions/usage.ts).
CREATE TABLE `api_version_usage` (
	`partner_id` text NOT NULL,
	`version` text NOT NULL,
	`calls` integer NOT NULL,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	PRIMARY KEY(`partner_id`, `version`)
);--> statement-breakpoint
CREATE INDEX `api_version_usage_version` ON `api_version_usage` (`version`);
