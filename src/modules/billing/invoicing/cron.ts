import type { CronContext, CronResult } from "../../../platform/cron";
import { billingAccountsAfter } from "../storage";
import { CLOSE_GRACE_MS, closeDuePeriods } from "./close";
import { ensurePdf } from "./pdf";
import { invoicesWithoutPdf } from "./storage";

/** Accounts read per query while walking them. */
const PAGE = 100;

/**
 * The `billing.close` job (docs/cron.md): walks every billing account by partner id and closes the
 * periods that ended at least CLOSE_GRACE_MS ago on the partner's billing clock, at most `limit`
 * invoices per run; then makes the PDFs a crashed close left unmade. A partner that fails is
 * logged and the walk goes on: its close is retried whole by the next run.
 */
export async function closeBillingPeriods(ctx: CronContext, limit: number): Promise<CronResult> {
  const deps = {
    db: ctx.db,
    environment: ctx.config.ENVIRONMENT,
    events: ctx.env.EVENTS_QUEUE,
    bucket: ctx.env.INVOICES,
    log: ctx.log,
  };
  let after = "";
  let issued = 0;
  let failed = 0;
  while (issued < limit) {
    const accounts = await billingAccountsAfter(ctx.db, after, PAGE);
    for (const account of accounts) {
      try {
        const result = await closeDuePeriods(deps, account.partnerId, {
          realNow: ctx.now,
          graceMs: CLOSE_GRACE_MS,
        });
        issued += result.issued.length;
      } catch (err) {
        failed += 1;
        ctx.log.warn("billing close failed", {
          partner_id: account.partnerId,
          error: err instanceof Error ? err.name : "unknown",
        });
      }
    }
    if (accounts.length < PAGE) break;
    after = accounts[accounts.length - 1]?.partnerId ?? after;
  }
  let pdfs = 0;
  for (const row of await invoicesWithoutPdf(ctx.db, limit)) if (await ensurePdf(deps, row)) pdfs += 1;
  return { issued, pdfs, failed };
}
