-- Cron cursors (src/platform/cron-cursor.ts, docs/cron.md): a job that walks a list a slice a run
-- (`usage.alerts`: partners with alerts, by id) keeps where it left off, so every row gets its
-- turn however long the list grows.
CREATE TABLE `cron_cursors` (
	`job` text PRIMARY KEY NOT NULL,
	`after` text NOT NULL,
	`updated_at` text NOT NULL
);
