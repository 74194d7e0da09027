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
