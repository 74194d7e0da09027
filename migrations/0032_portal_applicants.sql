-- The developer portal's onboarding pages (src/modules/portal/apply, docs/portal.md): a registrant
-- signs in with the contact email and password; the portal keeps the API's onboarding session
-- token here, sealed under the data key, and hands the browser only a random cookie, found by its
-- SHA-256. The session ends with the token (1 hour), after 30 idle minutes, or at sign-out.
CREATE TABLE `portal_applicant_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`registration_id` text NOT NULL REFERENCES `registrations`(`id`) ON DELETE CASCADE,
	`csrf_token` text NOT NULL,
	`token_sealed` text NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE INDEX `portal_applicant_sessions_registration` ON `portal_applicant_sessions` (`registration_id`, `created_at`);
