-- Usage alerts (src/modules/billing/alerts.ts, docs/billing.md "Usage alerts"): a partner's thresholds,
-- each a percentage of one product's included calls, and the crossings the `usage.alerts` cron
-- recorded: one row per alert and period, so an alert fires once a period however often the job runs.
CREATE TABLE `usage_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`product` text NOT NULL,
	`threshold_percent` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_alerts_partner_product_threshold` ON `usage_alerts` (`partner_id`,`product`,`threshold_percent`);
--> statement-breakpoint
CREATE TABLE `usage_alert_crossings` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL,
	`period_start` text NOT NULL,
	`calls` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
