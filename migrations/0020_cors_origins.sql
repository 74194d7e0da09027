-- The browser origins a partner's contract lets call the API (src/modules/partners/cors-origins.ts,
-- src/platform/middleware/cors.ts): a JSON array of exact `https://host[:port]` origins, validated
-- when the contract is written; empty (the default) means no CORS for that partner.
ALTER TABLE `partner_contracts` ADD `cors_origins` text DEFAULT '[]' NOT NULL CHECK (json_valid(`cors_origins`) AND json_type(`cors_origins`) = 'array');
