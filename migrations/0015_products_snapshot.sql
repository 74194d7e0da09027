-- Schema snapshot only. The product tables were created by the hand-written migrations
-- 0010_cards … 0014_kyc (written in parallel, one per product); drizzle-kit generated exactly
-- those statements here (checked statement by statement), so this migration only brings
-- drizzle's snapshot (meta/) up to date and changes nothing.
SELECT 1;
