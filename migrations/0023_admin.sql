-- The platform team's admin API (docs/admin.md): who may do what, the maker-checker change
-- requests, the per-product kill switches and the admin audit log. Hand-written; the tables
-- are src/modules/admin/storage.ts and src/platform/db/schema.ts (kill_switches).
CREATE TABLE `admin_identities` (
	`identity` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`subject` text,
	`created_by` text NOT NULL,
	`disabled_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `admin_change_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`partner_id` text NOT NULL,
	`change` text NOT NULL,
	`before` text NOT NULL,
	`reason` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`maker` text NOT NULL,
	`maker_role` text NOT NULL,
	`checker` text,
	`checker_role` text,
	`decision_reason` text,
	`decided_at` text,
	`expires_at` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `admin_change_requests_partner` ON `admin_change_requests` (`partner_id`,`id`);--> statement-breakpoint
CREATE INDEX `admin_change_requests_status` ON `admin_change_requests` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `admin_audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`identity` text NOT NULL,
	`role` text,
	`action` text NOT NULL,
	`target` text,
	`partner_id` text,
	`outcome` integer NOT NULL,
	`diff` text,
	`reason` text,
	`request_id` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `admin_audit_log_partner` ON `admin_audit_log` (`partner_id`,`id`);--> statement-breakpoint
CREATE INDEX `admin_audit_log_identity` ON `admin_audit_log` (`identity`,`id`);--> statement-breakpoint
CREATE TRIGGER admin_audit_log_no_update BEFORE UPDATE ON admin_audit_log
BEGIN
  SELECT RAISE(ABORT, 'the admin audit log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER admin_audit_log_no_delete BEFORE DELETE ON admin_audit_log
BEGIN
  SELECT RAISE(ABORT, 'the admin audit log is append-only');
END;
--> statement-breakpoint
CREATE TABLE `kill_switches` (
	`product` text PRIMARY KEY NOT NULL,
	`disabled` integer NOT NULL,
	`reason` text,
	`updated_by` text NOT NULL,
	`updated_at` text NOT NULL
);
