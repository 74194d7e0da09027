-- The `oauth.prune` cron job (docs/cron.md) deletes the authorization server's rows past their
-- use, oldest first: these indexes let it find them without reading the tables whole.
CREATE INDEX `oauth_refresh_tokens_expires` ON `oauth_refresh_tokens` (`expires_at`);
--> statement-breakpoint
CREATE INDEX `oauth_grant_access_tokens_expires` ON `oauth_grant_access_tokens` (`expires_at`);
--> statement-breakpoint
CREATE INDEX `oauth_revoked_tokens_expires` ON `oauth_revoked_tokens` (`expires_at`);
