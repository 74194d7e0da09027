-- Production applications (src/modules/onboarding/application-storage.ts, docs/onboarding.md):
-- the products wanted and the compliance checklist, their documents (in R2, described here), and
-- the history of every change, which the partner sees with the reviewers' comments.
CREATE TABLE `applications` (
	`id` text PRIMARY KEY NOT NULL,
	`registration_id` text NOT NULL REFERENCES `registrations`(`id`),
	`partner_id` text NOT NULL,
	`status` text NOT NULL CHECK (`status` IN ('draft', 'submitted', 'changes_requested', 'approved', 'rejected')),
	`products` text NOT NULL CHECK (json_valid(`products`) AND json_type(`products`) = 'array'),
	`checklist` text NOT NULL CHECK (json_valid(`checklist`) AND json_type(`checklist`) = 'object'),
	`revision` integer NOT NULL DEFAULT 1,
	`change_request_id` text,
	`submitted_at` text,
	`decided_at` text,
	`live_partner_created_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
-- One application at a time per registration: a rejected one makes room for a new one.
CREATE UNIQUE INDEX `applications_open_per_registration` ON `applications` (`registration_id`) WHERE `status` != 'rejected';
--> statement-breakpoint
CREATE INDEX `applications_status` ON `applications` (`status`, `id`);
--> statement-breakpoint
CREATE TABLE `application_history` (
	`id` text PRIMARY KEY NOT NULL,
	`application_id` text NOT NULL REFERENCES `applications`(`id`),
	`actor_kind` text NOT NULL CHECK (`actor_kind` IN ('registrant', 'admin', 'system')),
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`comment` text,
	`diff` text CHECK (`diff` IS NULL OR json_valid(`diff`)),
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `application_history_application` ON `application_history` (`application_id`, `id`);
--> statement-breakpoint
CREATE TRIGGER `application_history_no_update` BEFORE UPDATE ON `application_history`
BEGIN SELECT RAISE(ABORT, 'application history is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `application_history_no_delete` BEFORE DELETE ON `application_history`
BEGIN SELECT RAISE(ABORT, 'application history is append-only'); END;
--> statement-breakpoint
CREATE TABLE `application_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`application_id` text NOT NULL REFERENCES `applications`(`id`),
	`kind` text NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL CHECK (`size` > 0),
	`sha256` text NOT NULL,
	`r2_key` text NOT NULL UNIQUE,
	`removed_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `application_documents_application` ON `application_documents` (`application_id`, `id`);
