import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pruneRequestLog } from "../../../src/modules/usage/cron";
import { RETENTION_DAYS } from "../../../src/modules/usage/model";
import { createDb } from "../../../src/platform/db/client";
import { loadConfig } from "../../../src/platform/env";
import { createLogger } from "../../../src/platform/lib/logger";
import { scheduled } from "../../../src/scheduled";
import { controllerAt, cronJob } from "../../support/cron";
import { provisionPartner } from "../../support/partners";
import { logRow, rowsOf } from "./support";

// The request_log.prune cron job: rows past the environment's retention go, oldest first, at most
// the job's limit per run. Its clock is the run's: years back, so no other test's rows are that old.

const DAY = 86_400_000;
const NOW = Date.parse("2001-03-01T00:00:00.000Z");

const timesOf = async (partnerId: string) => (await rowsOf(partnerId)).map((r) => r.time);

describe("the request_log.prune cron job", () => {
  it("sandbox: 30 days kept, older rows deleted oldest first, at most the limit per run", async () => {
    expect(RETENTION_DAYS).toEqual({ sandbox: 30, production: 90 });
    const p = await provisionPartner();
    for (const days of [33, 32, 31, 30 + 1 / 24, 30, 29, 1]) await logRow(p.id, NOW - days * DAY);
    const job = cronJob("request_log.prune");
    await scheduled(controllerAt(NOW), env, [{ ...job, limit: 2 }]);
    expect(await timesOf(p.id)).toEqual([
      "2001-01-29T00:00:00.000Z",
      "2001-01-29T23:00:00.000Z",
      "2001-01-30T00:00:00.000Z",
      "2001-01-31T00:00:00.000Z",
      "2001-02-28T00:00:00.000Z",
    ]);
    // The next run takes the rest of the backlog; exactly 30 days old stays.
    await scheduled(controllerAt(NOW), env, [job]);
    expect(await timesOf(p.id)).toEqual([
      "2001-01-30T00:00:00.000Z",
      "2001-01-31T00:00:00.000Z",
      "2001-02-28T00:00:00.000Z",
    ]);
  });

  it("production keeps 90 days; a run with nothing past retention deletes nothing", async () => {
    const p = await provisionPartner();
    // Earlier still than the sandbox test's rows, which this run must not reach.
    const later = Date.parse("2000-06-01T00:00:00.000Z");
    for (const days of [91, 89]) await logRow(p.id, later - days * DAY);
    const config = { ...loadConfig(env), ENVIRONMENT: "production" as const };
    const ctx = { env, config, db: createDb(env.DB), log: createLogger("warn"), now: later };
    expect(await pruneRequestLog(ctx, 100)).toEqual({ pruned: 1 });
    expect(await timesOf(p.id)).toEqual([new Date(later - 89 * DAY).toISOString()]);
    expect(await pruneRequestLog(ctx, 100)).toEqual({ pruned: 0 });
  });
});
