-- The FAPI 2.0 profile (src/modules/oauth, docs/fapi.md). A contract's security profile
-- (`standard`: the bank's contract, client secret and, where `password_grant`, the password grant;
-- `fapi`: private_key_jwt or mutual TLS only, sender-constrained tokens, no password grant), and
-- the authorization codes the customer's consent authorisation issues: single-use and short-lived,
-- stored by the SHA-256 of the code (the code itself is never stored). `oauth_clients` is the
-- partner's registered client: its public keys (a JWKS, or a `jwks_uri` fetched through the
-- SSRF guard), its mutual-TLS certificate (subject DN or SHA-256 fingerprint) and the redirect
-- URIs a customer may be sent back to, matched exactly.
ALTER TABLE `partner_contracts` ADD `security_profile` text DEFAULT 'standard' NOT NULL;
--> statement-breakpoint
ALTER TABLE `partner_contracts` ADD `password_grant` integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
CREATE TABLE `oauth_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL REFERENCES `partners`(`id`),
	`client_id` text NOT NULL,
	`consent_id` text NOT NULL,
	`customer_ref` text NOT NULL,
	`redirect_uri` text NOT NULL,
	`scope` text NOT NULL,
	`code_challenge` text NOT NULL,
	`dpop_jkt` text,
	`nonce` text,
	`expires_at` text NOT NULL,
	`used_at` text,
	`grant_id` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `oauth_codes_expires` ON `oauth_codes` (`expires_at`);
--> statement-breakpoint
CREATE TABLE `oauth_clients` (
	`partner_id` text PRIMARY KEY NOT NULL REFERENCES `partners`(`id`),
	`jwks` text,
	`jwks_uri` text,
	`tls_client_auth_subject_dn` text,
	`tls_client_certificate_sha256` text,
	`redirect_uris` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
