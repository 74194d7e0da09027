import type { CronContext, CronResult } from "../../platform/cron";
import { uuidv7 } from "../../platform/lib/ids";
import { RETENTION_DAYS } from "./model";
import { pruneOlderThan } from "./storage";

/** Rows deleted per statement: each one short, so a big backlog never holds D1 for long. */
const CHUNK = 1000;

/**
 * The `request_log.prune` job (docs/cron.md): deletes the rows older than the environment's
 * retention (sandbox 30 days, production 90), oldest first, at most `limit` per run. The id is a
 * UUID v7 of the request's time, so "older than" is a range of the primary key: the smallest id
 * of the cutoff's millisecond bounds it.
 */
export async function pruneRequestLog(ctx: CronContext, limit: number): Promise<CronResult> {
  const cutoff = ctx.now - RETENTION_DAYS[ctx.config.ENVIRONMENT] * 86_400_000;
  const bound = uuidv7(cutoff, new Uint8Array(16));
  let pruned = 0;
  while (pruned < limit) {
    const want = Math.min(CHUNK, limit - pruned);
    const gone = await pruneOlderThan(ctx.db, bound, want);
    pruned += gone;
    if (gone < want) break;
  }
  return { pruned };
}
