-- The password grant's lockout (src/modules/partners/lockout.ts): failed attempts per partner and
-- username (known or not, so a lockout tells nothing about which usernames exist).
CREATE TABLE `password_failures` (
	`partner_id` text NOT NULL,
	`username` text NOT NULL,
	`attempts` integer NOT NULL,
	`window_started_at` text NOT NULL,
	`locked_until` text,
	PRIMARY KEY (`partner_id`, `username`)
);
