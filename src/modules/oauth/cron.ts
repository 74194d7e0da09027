import type { CronContext, CronResult } from "../../platform/cron";
import { PRUNED_TABLES, type PrunedTable, pruneExpired } from "./storage";

/**
 * How long past its expiry a row is kept: a day for a code, so a replay of it is still told
 * from an unknown code (and still revokes what it issued); nothing for the rest, which an
 * expired row cannot serve (an expired refresh token is refused before its reuse would count).
 */
const KEPT_AFTER_EXPIRY_MS: Record<PrunedTable, number> = {
  oauth_authorisation_sessions: 0,
  oauth_par_requests: 0,
  oauth_codes: 86_400_000,
  oauth_refresh_tokens: 0,
  oauth_grant_access_tokens: 0,
  oauth_revoked_tokens: 0,
};

/**
 * The `oauth.prune` job (docs/cron.md): deletes pushed requests, customer sessions, codes,
 * refresh tokens and the access-token lists past their use, oldest first, at most `limit` of each.
 */
export async function pruneOAuth(ctx: CronContext, limit: number): Promise<CronResult> {
  const result: CronResult = {};
  for (const table of Object.keys(PRUNED_TABLES) as PrunedTable[]) {
    const before = new Date(ctx.now - KEPT_AFTER_EXPIRY_MS[table]).toISOString();
    result[table] = await pruneExpired(ctx.db, table, before, limit);
  }
  return result;
}
