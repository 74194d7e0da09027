import { expireConsents } from "./modules/accounts/cron";
import { expireChangeRequests } from "./modules/admin/cron";
import { checkUsageAlerts } from "./modules/billing/alerts";
import { closeBillingPeriods } from "./modules/billing/invoicing/cron";
import { pruneMetering } from "./modules/billing/metering/cron";
import { followUpCardApplications } from "./modules/cards/cron";
import { expireDisputes } from "./modules/disputes/cron";
import { followUpLoanApplications } from "./modules/lending/cron";
import { pruneOAuth } from "./modules/oauth/cron";
import { recoverLivePartners } from "./modules/onboarding/live-partner";
import { recoverRegistrations } from "./modules/onboarding/recovery";
import { remindTerms } from "./modules/onboarding/terms-reminders";
import { evaluateAlerts } from "./modules/operations/evaluate";
import { fetchSettlementReports } from "./modules/reconciliation/cron";
import { pruneRequestLog } from "./modules/usage/cron";
import { redriveWebhookDeliveries } from "./modules/webhooks/cron";
import { type CronJob, runCronJobs } from "./platform/cron";
import { createDb } from "./platform/db/client";
import { type Env, loadConfig } from "./platform/env";
import { drainEventOutbox, redriveEventQueue } from "./platform/events/cron";
import { createLogger } from "./platform/lib/logger";

/**
 * The cron's jobs, run in this order on every trigger (every minute, wrangler.toml), each with
 * its own limit per run (docs/cron.md). A new job is one line here and its module's function.
 */
export const CRON_JOBS: readonly CronJob[] = [
  // Events a commit stored but did not send (older than 30 s), oldest first.
  { name: "events.drain", limit: 500, run: drainEventOutbox },
  // Work a queue took and never finished (QUEUE_REDRIVE_AFTER_SECONDS): one queue batch of each.
  { name: "events.redrive", limit: 100, run: redriveEventQueue },
  { name: "webhook_deliveries.redrive", limit: 100, run: redriveWebhookDeliveries },
  // What would otherwise wait for a read.
  { name: "consents.expire", limit: 200, run: expireConsents },
  { name: "loan_applications.follow_up", limit: 50, run: followUpLoanApplications },
  { name: "card_applications.follow_up", limit: 50, run: followUpCardApplications },
  // An approved production application whose Worker died before its live partner was written.
  { name: "applications.live_partners", limit: 20, run: recoverLivePartners },
  { name: "admin_approvals.expire", limit: 200, run: expireChangeRequests },
  // Production's control plane: the terms reminders (ntf_ events, sent by events.drain/redrive too)
  // and the registrations a dead Worker left in provisioning.
  { name: "terms.reminders", limit: 100, run: remindTerms },
  { name: "registrations.recover", limit: 20, run: recoverRegistrations },
  // The partners' request log past its retention (sandbox 30 days, production 90), oldest first.
  { name: "request_log.prune", limit: 10_000, run: pruneRequestLog },
  { name: "metering.prune", limit: 10_000, run: pruneMetering },
  // The authorization server's pushed requests, sessions, codes and tokens past their use.
  { name: "oauth.prune", limit: 1_000, run: pruneOAuth },
  // Usage alerts against the plan's included calls: usage.threshold_reached once per alert and period.
  { name: "usage.alerts", limit: 200, run: checkUsageAlerts },
  // Billing periods ended two hours ago and more on the partner's billing clock: invoices, then missing PDFs.
  { name: "billing.close", limit: 200, run: closeBillingPeriods },
  // Disputes past evidence_due_by with no evidence submitted: lost, with their posting and dispute.closed.
  { name: "disputes.expire", limit: 200, run: expireDisputes },
  // Operational alert rules over the payment and webhook metrics, then their transitions' deliveries.
  { name: "alerts.evaluate", limit: 50, run: evaluateAlerts },
  // Yesterday's settlement report of each configured source, once a day from 01:00 UTC, then its run.
  { name: "reconciliation.fetch", limit: 10, run: fetchSettlementReports },
];

/** The cron trigger, as of the run's scheduled time: every job of `jobs`, each on its own. */
export async function scheduled(
  controller: ScheduledController,
  env: Env,
  jobs: readonly CronJob[] = CRON_JOBS,
): Promise<void> {
  const config = loadConfig(env);
  const log = createLogger(config.LOG_LEVEL);
  await runCronJobs(jobs, { env, config, db: createDb(env.DB), log, now: controller.scheduledTime });
}
