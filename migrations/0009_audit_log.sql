CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`request_id` text NOT NULL,
	`action` text NOT NULL,
	`resource` text,
	`outcome` integer NOT NULL,
	`personal_data` integer NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_partner` ON `audit_log` (`partner_id`,`id`);--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
