import type { Db } from "./db/client";
import type { Config, Env } from "./env";
import type { Logger } from "./lib/logger";

/**
 * The cron's jobs (the list is `src/scheduled.ts`): each run of the trigger runs every job once,
 * in order. A job handles at most its `limit` items per run, so a backlog is worked off over the
 * next runs and no run outlives its minute. A job that throws is logged and the next one runs all
 * the same; the run fails (as the platform records it) only after every job had its turn.
 */

/** What every job is given: the bindings, the configuration, D1, a logger and the run's time. */
export interface CronContext {
  env: Env;
  config: Config;
  db: Db;
  log: Logger;
  /** The run's scheduled time, in ms: at or before the clock when the platform fires it. */
  now: number;
}

/** What a job did in one run, as counts for the log: `{ due: 3, expired: 3, failed: 0 }`. */
export type CronResult = Record<string, number>;

export interface CronJob {
  /** Names the job in the logs and in a failed run's error. */
  name: string;
  /** The most items the job handles in one run. */
  limit: number;
  run(ctx: CronContext, limit: number): Promise<CronResult>;
}

/** A run in which at least one job threw; its message names the jobs, never their errors. */
export class CronJobsFailed extends Error {
  override name = "CronJobsFailed";
  constructor(readonly jobs: readonly string[]) {
    super(`cron jobs failed: ${jobs.join(", ")}`);
  }
}

/**
 * Runs each job in turn, each on its own: one that throws is logged (its error's name, never its
 * message, which may quote data) and does not stop the others. A job that did something logs its
 * counts. Throws CronJobsFailed at the end when any job failed.
 */
export async function runCronJobs(jobs: readonly CronJob[], ctx: CronContext): Promise<void> {
  const failed: string[] = [];
  for (const job of jobs) {
    try {
      const result = await job.run(ctx, job.limit);
      if (Object.values(result).some((n) => n > 0))
        ctx.log.info("cron job done", { job: job.name, ...result });
    } catch (err) {
      failed.push(job.name);
      ctx.log.error("cron job failed", { job: job.name, error: err instanceof Error ? err.name : "unknown" });
    }
  }
  if (failed.length > 0) throw new CronJobsFailed(failed);
}

/**
 * Works through a job's items one by one: `work` answers whether the item is done; one that
 * throws is reported to `onError` (with its error's name) and the next one is worked on.
 */
export async function eachItem<T>(
  items: readonly T[],
  work: (item: T) => Promise<boolean>,
  onError: (item: T, error: string) => void,
): Promise<{ done: number; failed: number }> {
  let done = 0;
  let failed = 0;
  for (const item of items) {
    try {
      if (await work(item)) done += 1;
    } catch (err) {
      failed += 1;
      onError(item, err instanceof Error ? err.name : "unknown");
    }
  }
  return { done, failed };
}
