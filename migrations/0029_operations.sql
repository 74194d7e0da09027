-- The operations jobs of the cron (src/scheduled.ts, docs/cron.md).
-- Change requests still pending, by expiry: the admin_approvals.expire sweep.
CREATE INDEX `admin_change_requests_pending_expiry` ON `admin_change_requests` (`expires_at`,`id`) WHERE "admin_change_requests"."status" = 'pending';--> statement-breakpoint
-- Registrations stuck half-way (their Worker died between the sandbox call and the last batch),
-- least recently touched first: the registrations.recover sweep.
CREATE INDEX `registrations_provisioning` ON `registrations` (`updated_at`,`id`) WHERE "registrations"."status" = 'provisioning';--> statement-breakpoint
-- One terms reminder per registration and version (src/modules/onboarding/terms-reminders.ts):
-- the row and its notification event commit together, so the email goes once.
CREATE TABLE `terms_reminders` (
	`registration_id` text NOT NULL,
	`version` text NOT NULL,
	`event_id` text NOT NULL,
	`sent_at` text NOT NULL,
	PRIMARY KEY(`registration_id`, `version`),
	FOREIGN KEY (`registration_id`) REFERENCES `registrations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version`) REFERENCES `terms_documents`(`version`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `terms_reminders_event` ON `terms_reminders` (`event_id`);
