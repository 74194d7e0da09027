-- The customer's consent authorisation (src/modules/oauth/par.ts, authorisation.ts,
-- docs/consent-authorisation.md). `oauth_par_requests`: what a partner's client pushed (RFC 9126),
-- found by the SHA-256 of the random part of its `request_uri` (the URI itself is never stored),
-- used once within a minute. `oauth_authorisation_sessions`: the customer's way through the bank's
-- pages (login, the second factor, the consent screen), found by the SHA-256 of its cookie, with
-- the form's CSRF token, the step it is at and the failed attempts of that step; it ends within minutes.
CREATE TABLE `oauth_par_requests` (
	`request_hash` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`client_id` text NOT NULL,
	`consent_id` text NOT NULL,
	`redirect_uri` text NOT NULL,
	`scope` text NOT NULL,
	`state` text,
	`nonce` text,
	`code_challenge` text NOT NULL,
	`dpop_jkt` text,
	`expires_at` text NOT NULL,
	`used_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `oauth_par_requests_expires` ON `oauth_par_requests` (`expires_at`);
--> statement-breakpoint
CREATE TABLE `oauth_authorisation_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`request_hash` text NOT NULL REFERENCES `oauth_par_requests`(`request_hash`),
	`csrf_token` text NOT NULL,
	`stage` text NOT NULL,
	`customer_ref` text,
	`challenge_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`expires_at` text NOT NULL,
	`ended_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `oauth_authorisation_sessions_expires` ON `oauth_authorisation_sessions` (`expires_at`);
