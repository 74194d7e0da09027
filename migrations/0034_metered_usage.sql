-- Metering (src/modules/billing/metering, docs/billing.md "Metering"): the partners' calls counted for
-- billing, one row per partner × UTC hour × product × operation × outcome. `hour` is the hour's start,
-- `YYYY-MM-DDTHH:00:00Z`, so it compares with a period's `YYYY-MM-DD` bounds as text. An outcome is
-- `success`, `client_error` or `server_error` (billable) or `refused` (a limiter's or quota's refusal:
-- counted, never billed).
CREATE TABLE `metered_usage` (
	`partner_id` text NOT NULL,
	`hour` text NOT NULL,
	`product` text NOT NULL,
	`operation` text NOT NULL,
	`outcome` text NOT NULL,
	`calls` integer NOT NULL,
	PRIMARY KEY(`partner_id`, `hour`, `product`, `operation`, `outcome`)
);

-- Exactly once (docs/metering.md): a window's message is counted once, by its id, in the same
-- D1 batch (one transaction) as its increments. `token` is the delivery that applied it: a
-- redelivery brings another token, finds the row already there, and its increments do nothing.
CREATE TABLE `metered_windows` (
	`id` text PRIMARY KEY NOT NULL,
	`token` text NOT NULL,
	`applied_at` integer NOT NULL
);
CREATE INDEX `metered_windows_applied_at` ON `metered_windows` (`applied_at`);

-- A keyed POST (Idempotency-Key) counted once whichever isolate, window or replay reports it
-- first: `scope` is the SHA-256 of environment, partner, path and key; the first report's
-- `token` applies its increment. Kept past the idempotency window (metering.prune).
CREATE TABLE `metered_calls` (
	`scope` text PRIMARY KEY NOT NULL,
	`token` text NOT NULL,
	`counted_at` integer NOT NULL
);
CREATE INDEX `metered_calls_counted_at` ON `metered_calls` (`counted_at`);
