import type { CronContext, CronResult } from "../../platform/cron";
import { eachItem } from "../../platform/cron";
import type { Db } from "../../platform/db/client";
import { uuidv7 } from "../../platform/lib/ids";
import { deliverPending } from "./alert-delivery";
import { paymentMetrics, webhookMetrics } from "./metrics";
import { type AlertMetric, type Comparator, step, type Transition } from "./model";
import { type AlertRuleRow, recordEvaluation, rulesDue } from "./storage";

/**
 * The `alerts.evaluate` cron (docs/operations.md, evaluation): each run evaluates the rules not yet
 * evaluated in its minute, least recently evaluated first, at most `limit` of them, over the window
 * that ends at the run's scheduled time; then delivers the transitions still pending (this run's
 * and earlier runs' failed ones), at most `limit` too.
 */

const MINUTE = 60_000;

/** The rule's metric over [from, to) and how many samples it rests on. */
export async function measure(
  db: Db,
  rule: Pick<AlertRuleRow, "metric" | "filters">,
  from: string,
  to: string,
): Promise<{ value: number | null; samples: number }> {
  const metric = rule.metric as AlertMetric;
  if (metric === "webhook_lag_p95_ms") {
    const [row] = await webhookMetrics(db, {
      from,
      to,
      openAt: to,
      ...(rule.filters.partner_id !== undefined ? { partnerId: rule.filters.partner_id } : {}),
    });
    return { value: row?.lag_p95_ms ?? null, samples: row?.deliveries ?? 0 };
  }
  const [row] = await paymentMetrics(db, { from, to, filters: rule.filters });
  if (!row) return { value: null, samples: 0 };
  const value = {
    approve_rate: row.approve_rate_bps,
    decline_rate: row.decline_rate_bps,
    fallback_share: row.fallback_share_bps,
    latency_p95_ms: row.latency_p95_ms,
  }[metric];
  return { value, samples: row.attempts };
}

/** What a transition sends its connector: the same JSON every attempt. */
export function alertPayload(
  rule: AlertRuleRow,
  event: { id: string; kind: Transition; value: number | null; samples: number; from: string; to: string },
  environment: string,
) {
  return JSON.stringify({
    id: event.id,
    object: "alert_event",
    type: `alert.${event.kind}`,
    created_at: event.to,
    environment,
    rule: {
      id: rule.id,
      name: rule.name,
      metric: rule.metric,
      filters: rule.filters,
      comparator: rule.comparator,
      threshold: rule.threshold,
      resolve_threshold: rule.resolveThreshold,
      window_minutes: rule.windowMinutes,
      min_samples: rule.minSamples,
    },
    value: event.value,
    samples: event.samples,
    window: { from: event.from, to: event.to },
  });
}

/** One rule's evaluation at `now`: its figures, its new state, and the transition if any. */
export async function evaluateRule(
  ctx: CronContext,
  rule: AlertRuleRow,
): Promise<Transition | "none" | "lost"> {
  const to = new Date(ctx.now).toISOString();
  const from = new Date(ctx.now - rule.windowMinutes * MINUTE).toISOString();
  const { value, samples } = await measure(ctx.db, rule, from, to);
  const counted = samples >= rule.minSamples ? value : null;
  const next = step(
    { state: rule.state as "ok" | "firing", streak: rule.streak },
    {
      comparator: rule.comparator as Comparator,
      threshold: rule.threshold,
      resolveThreshold: rule.resolveThreshold,
      fireAfter: rule.fireAfter,
      resolveAfter: rule.resolveAfter,
    },
    counted,
  );
  const transition = next.transition
    ? (() => {
        const id = uuidv7(ctx.now);
        const kind = next.transition;
        return {
          id,
          ruleId: rule.id,
          kind,
          value: counted,
          samples,
          threshold: rule.threshold,
          windowFrom: from,
          windowTo: to,
          connectorType: rule.connectorType,
          payload: alertPayload(
            rule,
            { id, kind, value: counted, samples, from, to },
            ctx.config.ENVIRONMENT,
          ),
          createdAt: to,
        };
      })()
    : undefined;
  const took = await recordEvaluation(
    ctx.db,
    rule,
    {
      state: next.state,
      streak: next.streak,
      lastValue: value,
      lastSamples: samples,
      lastEvaluatedAt: to,
      ...(next.transition ? { stateSince: to } : {}),
    },
    transition,
  );
  if (!took) return "lost";
  return next.transition ?? "none";
}

export async function evaluateAlerts(ctx: CronContext, limit: number): Promise<CronResult> {
  const minuteStart = new Date(Math.floor(ctx.now / MINUTE) * MINUTE).toISOString();
  const rules = await rulesDue(ctx.db, minuteStart, limit);
  let fired = 0;
  let resolved = 0;
  const evaluated = await eachItem(
    rules,
    async (rule) => {
      const outcome = await evaluateRule(ctx, rule);
      if (outcome === "firing") fired += 1;
      if (outcome === "resolved") resolved += 1;
      return outcome !== "lost";
    },
    (rule, error) => ctx.log.error("alert rule not evaluated", { rule: rule.id, error }),
  );
  const delivery = await deliverPending(ctx, limit);
  return {
    evaluated: evaluated.done,
    failed: evaluated.failed,
    fired,
    resolved,
    delivered: delivery.delivered,
    undelivered: delivery.undelivered,
  };
}
