-- The cron's sweeps of what would otherwise wait for a read (src/scheduled.ts, docs/cron.md): each
-- reads only the rows it may act on, oldest first, through its own partial index.
-- Consents that may still expire, by expiry: the consent expiry sweep.
CREATE INDEX `consents_expiring` ON `consents` (`expires_at`,`id`) WHERE "consents"."status" in ('AwaitingAuthorisation', 'Authorised');--> statement-breakpoint
-- Loan applications under review at the scoring system, least recently asked first: the follow-up.
CREATE INDEX `loan_applications_under_review` ON `loan_applications` (`updated_at`,`id`) WHERE "loan_applications"."status" = 'in_progress' AND "loan_applications"."scoring_reference" IS NOT NULL;--> statement-breakpoint
-- Card applications whose order the card system is still producing, oldest order first: the follow-up.
CREATE INDEX `card_applications_in_production` ON `card_applications` (`submitted_at`,`id`) WHERE "card_applications"."status" = 'in_progress' AND "card_applications"."reference" IS NOT NULL;
