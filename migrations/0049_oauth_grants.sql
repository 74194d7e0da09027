-- The consent flow's tokens (src/modules/oauth/grants, docs/oauth-tokens.md). A grant is one code
-- exchange and its refresh chain: the consent it reads with, the client and the key or certificate
-- its tokens are bound to (`cnf`), revoked as a whole. Refresh tokens are stored by their SHA-256:
-- `active` until used once (then `rotated`, naming the token it was exchanged for) or revoked; a
-- rotated token presented again revokes its grant. The access tokens a grant issued are listed by
-- `jti` so revoking the grant revokes them; `oauth_revoked_tokens` holds the access tokens revoked
-- (RFC 7009, or with their grant) until they would have expired anyway, loaded with the partner's
-- profile so bearer verification stays without extra I/O.
CREATE TABLE `oauth_grants` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`client_id` text NOT NULL,
	`consent_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`scope` text NOT NULL,
	`cnf` text DEFAULT '{}' NOT NULL,
	`expires_at` text NOT NULL,
	`created_at` text NOT NULL,
	`revoked_at` text,
	`revoked_reason` text
);
--> statement-breakpoint
CREATE INDEX `oauth_grants_consent` ON `oauth_grants` (`consent_id`);
--> statement-breakpoint
CREATE TABLE `oauth_refresh_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`grant_id` text NOT NULL REFERENCES `oauth_grants`(`id`),
	`partner_id` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`replaced_by` text,
	`expires_at` text NOT NULL,
	`created_at` text NOT NULL,
	`used_at` text
);
--> statement-breakpoint
CREATE INDEX `oauth_refresh_tokens_grant` ON `oauth_refresh_tokens` (`grant_id`);
--> statement-breakpoint
CREATE TABLE `oauth_grant_access_tokens` (
	`jti` text PRIMARY KEY NOT NULL,
	`grant_id` text NOT NULL REFERENCES `oauth_grants`(`id`),
	`partner_id` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `oauth_grant_access_tokens_grant` ON `oauth_grant_access_tokens` (`grant_id`);
--> statement-breakpoint
CREATE TABLE `oauth_revoked_tokens` (
	`jti` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `oauth_revoked_tokens_partner` ON `oauth_revoked_tokens` (`partner_id`,`expires_at`);
