-- Per-partner allow-lists on the contract (src/modules/partners/ip-allowlist.ts, webhook-domains.ts),
-- validated when the contract is written; each a JSON array, empty (the default) meaning no restriction:
--   ip_allowlist:    canonical CIDR blocks (IPv4 and IPv6) the partner may call /oauth2/token and /v1 from;
--   webhook_domains: host names or `*.suffix` wildcards a production webhook endpoint's URL may use.
ALTER TABLE `partner_contracts` ADD `ip_allowlist` text DEFAULT '[]' NOT NULL CHECK (json_valid(`ip_allowlist`) AND json_type(`ip_allowlist`) = 'array');
--> statement-breakpoint
ALTER TABLE `partner_contracts` ADD `webhook_domains` text DEFAULT '[]' NOT NULL CHECK (json_valid(`webhook_domains`) AND json_type(`webhook_domains`) = 'array');
