-- The developer portal (src/modules/portal, docs/portal.md): its users are the partner's users of
-- the password grant, now with a role and a TOTP second factor; their sessions are held here so
-- that they can be revoked; team members are invited by a one-time link.
ALTER TABLE `partner_users` ADD `role` text NOT NULL DEFAULT 'owner' CHECK (`role` IN ('owner', 'developer', 'viewer'));
--> statement-breakpoint
-- The TOTP secret, sealed (AES-GCM under the data key, src/platform/lib/secret-box.ts); the last
-- time step accepted, so that one code signs in once.
ALTER TABLE `partner_users` ADD `totp_secret` text;
--> statement-breakpoint
ALTER TABLE `partner_users` ADD `totp_enabled_at` text;
--> statement-breakpoint
ALTER TABLE `partner_users` ADD `totp_last_step` integer;
--> statement-breakpoint
-- The credential's last token, and the end of a rotation's overlap.
ALTER TABLE `partner_credentials` ADD `last_used_at` text;
--> statement-breakpoint
ALTER TABLE `partner_credentials` ADD `expires_at` text;
--> statement-breakpoint
-- A session is found by the SHA-256 of its cookie; the cookie itself is never stored.
CREATE TABLE `portal_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL REFERENCES `partner_users`(`id`),
	`partner_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	-- 'password': the password was right, the second factor is still due; 'full': signed in.
	`stage` text NOT NULL CHECK (`stage` IN ('password', 'full')),
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE INDEX `portal_sessions_user` ON `portal_sessions` (`user_id`, `created_at`);
--> statement-breakpoint
CREATE TABLE `portal_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`username` text NOT NULL,
	`role` text NOT NULL CHECK (`role` IN ('owner', 'developer', 'viewer')),
	`token_hash` text NOT NULL,
	`invited_by` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`accepted_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `portal_invitations_token` ON `portal_invitations` (`token_hash`);
