import { type CronContext, type CronResult, eachItem } from "../../platform/cron";
import { reconciliationConfig } from "./config";
import { yesterdayOf } from "./model";
import { importReport, runReconciliation } from "./service";
import { settlementSourceFor } from "./sources";
import { hasReportFor } from "./storage";

/** A day's report is asked for from 01:00 UTC the next day: the day's last outbox drains are in by then. */
export const FETCH_DELAY_MS = 60 * 60 * 1000;
export const CRON_ACTOR = "system:cron";

/**
 * `reconciliation.fetch`: once a day per configured settlement source, yesterday's report (UTC),
 * imported as an upload would be and reconciled at once. A day with a report stored already (an
 * earlier run, or an operator's upload) is skipped, so the minute cron fetches each day once.
 */
export async function fetchSettlementReports(ctx: CronContext, limit: number): Promise<CronResult> {
  const config = reconciliationConfig(ctx.env);
  const date = yesterdayOf(ctx.now - FETCH_DELAY_MS);
  const deps = { db: ctx.db, config, now: () => ctx.now };
  const due: string[] = [];
  for (const name of config.sources.slice(0, limit))
    if (!(await hasReportFor(ctx.db, name, date))) due.push(name);
  const { done, failed } = await eachItem(
    due,
    async (name) => {
      const source = settlementSourceFor(name, ctx.db, config);
      if (!source) throw new Error(`no settlement source ${name}`);
      const fetched = await source.report(date);
      if (!fetched.ok) {
        ctx.log.warn("settlement report not fetched", { source: name, date, reason: fetched.reason });
        return false;
      }
      const { report } = await importReport(deps, {
        csv: fetched.csv,
        provider: source.provider,
        settlementDate: date,
        source: "scheduled",
        createdBy: CRON_ACTOR,
      });
      await runReconciliation(deps, report.id, CRON_ACTOR);
      return true;
    },
    (name, error) => ctx.log.error("settlement report fetch failed", { source: name, date, error }),
  );
  return { due: due.length, fetched: done, failed };
}
