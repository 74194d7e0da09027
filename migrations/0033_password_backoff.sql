-- The lockout backs off (src/modules/partners/lockout.ts): each lock since the last success lasts
-- twice as long as the one before, from 15 minutes up to a day.
ALTER TABLE `password_failures` ADD `lockouts` integer NOT NULL DEFAULT 0;
