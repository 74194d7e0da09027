-- The partners' request log (src/modules/usage, docs/usage.md): one row per /v1 request that reached an
-- authenticated partner, refusals included, written after the answer. Ids are UUID v7 from the request's
-- start, so the id orders by time: the list pages by it and the request_log.prune cron job deletes by it.
-- The bodies are kept in the sandbox only, redacted and capped; production keeps the metadata.
CREATE TABLE `request_log` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`request_id` text NOT NULL,
	`time` text NOT NULL,
	`method` text NOT NULL,
	`route` text,
	`path` text NOT NULL,
	`product` text NOT NULL,
	`status` integer NOT NULL,
	`error_code` integer,
	`latency_ms` integer NOT NULL,
	`idempotency_key` text,
	`api_version` text NOT NULL,
	`client_id` text NOT NULL,
	`request_body` text,
	`request_body_truncated` integer DEFAULT false NOT NULL,
	`response_body` text,
	`response_body_truncated` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
-- GET /v1/requests, newest first.
CREATE INDEX `request_log_partner` ON `request_log` (`partner_id`,`id`);--> statement-breakpoint
-- GET /v1/usage and the from/to filters: a day's rows read from the index alone, never the bodies.
CREATE INDEX `request_log_partner_time` ON `request_log` (`partner_id`,`time`,`product`,`status`,`latency_ms`,`error_code`);--> statement-breakpoint
CREATE INDEX `request_log_partner_request` ON `request_log` (`partner_id`,`request_id`);--> statement-breakpoint
CREATE INDEX `request_log_partner_key` ON `request_log` (`partner_id`,`idempotency_key`) WHERE "request_log"."idempotency_key" IS NOT NULL;--> statement-breakpoint
-- Every partner may read its own request log and usage: the new platform scope joins every contract.
UPDATE `partner_contracts` SET `scopes` = json_insert(`scopes`, '$[#]', 'usage:read')
WHERE NOT EXISTS (SELECT 1 FROM json_each(`partner_contracts`.`scopes`) WHERE json_each.value = 'usage:read');
