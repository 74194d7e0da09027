CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`payment_id` text NOT NULL,
	`object_name` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `refunds_payment` ON `refunds` (`payment_id`);