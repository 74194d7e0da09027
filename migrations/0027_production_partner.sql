-- The production partner a registration becomes once its application is approved: its id is
-- reserved at registration (src/modules/onboarding/registration.ts), so the terms a registrant
-- accepts before going live are already that partner's (docs/onboarding.md).
ALTER TABLE `registrations` ADD COLUMN `production_partner_id` text;
--> statement-breakpoint
CREATE UNIQUE INDEX `registrations_production_partner` ON `registrations` (`production_partner_id`);
