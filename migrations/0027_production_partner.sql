-- The production partner a registration becomes once its application is approved: its id is
-- reserved at registration (src/modules/onboarding/registration.ts), so the terms a registrant
-- accepts before going live are already that partner's (docs/onboarding.md).
ALTER TABLE `registrations` ADD COLUMN `production_partner_id` text;
--> statement-breakpoint
CREATE UNIQUE INDEX `registrations_production_partner` ON `registrations` (`production_partner_id`);
--> statement-breakpoint
-- Registrations made before this migration get theirs now (a random UUID, version 4 format).
UPDATE `registrations` SET `production_partner_id` =
	lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' ||
	substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))
WHERE `production_partner_id` IS NULL;
