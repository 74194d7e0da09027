-- Operational alerts (src/modules/operations, docs/operations.md): the platform team's rules over the
-- payment and webhook metrics, each with its state (ok | firing) and the streak of evaluations that
-- moves it, and every transition (firing, resolved) with its delivery to the rule's connector. A
-- sandbox connector's transitions are delivered into the row itself (`payload`, `delivered_at`): the
-- sink `GET /admin/v1/alerts/events` reads.
CREATE TABLE `alert_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`metric` text NOT NULL,
	`filters` text NOT NULL,
	`comparator` text NOT NULL,
	`threshold` integer NOT NULL,
	`resolve_threshold` integer NOT NULL,
	`window_minutes` integer NOT NULL,
	`min_samples` integer NOT NULL,
	`fire_after` integer NOT NULL,
	`resolve_after` integer NOT NULL,
	`connector_type` text NOT NULL,
	`connector_url` text,
	`secret_sealed` text,
	`state` text DEFAULT 'ok' NOT NULL,
	`streak` integer DEFAULT 0 NOT NULL,
	`last_value` integer,
	`last_samples` integer,
	`last_evaluated_at` text,
	`state_since` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
-- What the alerts.evaluate cron reads: the rules least recently evaluated first.
CREATE INDEX `alert_rules_evaluated` ON `alert_rules` (`last_evaluated_at`,`id`);
--> statement-breakpoint
CREATE TABLE `alert_events` (
	`id` text PRIMARY KEY NOT NULL,
	`rule_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` integer,
	`samples` integer NOT NULL,
	`threshold` integer NOT NULL,
	`window_from` text NOT NULL,
	`window_to` text NOT NULL,
	`connector_type` text NOT NULL,
	`payload` text NOT NULL,
	`delivery_status` text DEFAULT 'pending' NOT NULL,
	`delivery_attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`delivered_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_events_rule` ON `alert_events` (`rule_id`,`id`);
--> statement-breakpoint
-- One transition per rule and evaluation: two runs of the same scheduled time record it once.
CREATE UNIQUE INDEX `alert_events_rule_window` ON `alert_events` (`rule_id`,`window_to`,`kind`);
--> statement-breakpoint
-- The transitions still to deliver, oldest first: what each alerts.evaluate run retries.
CREATE INDEX `alert_events_pending` ON `alert_events` (`id`) WHERE "alert_events"."delivery_status" = 'pending';
