import { RETENTION_MS } from "../../../../durable-objects/key-record";
import type { CronContext, CronResult } from "../../../platform/cron";
import { pruneDedupeRows } from "./storage";

const HOUR_MS = 3_600_000;
/**
 * A keyed call's claim outlives its key: a replay can come while the key lives (48 h from first
 * use), and its window may reach the consumer late (queue retries); a day of margin covers both.
 */
export const CALL_CLAIM_MS = RETENTION_MS + 24 * HOUR_MS;
/**
 * A window's claim outlives every redelivery of its message: a queue keeps a message at most
 * 14 days, retries included.
 */
export const WINDOW_CLAIM_MS = 15 * 24 * HOUR_MS;

/**
 * The `metering.prune` job (docs/cron.md): deletes the dedupe rows nothing can meet again, keyed
 * calls' claims past CALL_CLAIM_MS and windows' claims past WINDOW_CLAIM_MS, oldest first, at
 * most `limit` of each per run.
 */
export async function pruneMetering(ctx: CronContext, limit: number): Promise<CronResult> {
  const calls = await pruneDedupeRows(ctx.db, "metered_calls", ctx.now - CALL_CLAIM_MS, limit);
  const windows = await pruneDedupeRows(ctx.db, "metered_windows", ctx.now - WINDOW_CLAIM_MS, limit);
  return { calls, windows };
}
