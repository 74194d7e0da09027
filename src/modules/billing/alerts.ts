import { eq } from "drizzle-orm";
import type { Product } from "../../platform/catalog";
import type { CronContext, CronResult } from "../../platform/cron";
import { nextSlice } from "../../platform/cron-cursor";
import type { Db } from "../../platform/db/client";
import { events } from "../../platform/db/schema";
import { ApiError } from "../../platform/errors";
import { insertEventIfChanged, sendEvent } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import { partners } from "../partners/storage";
import {
  alertsOf,
  crossingsAmong,
  deleteAlert,
  insertAlert,
  partnersWithAlertsAfter,
  type UsageAlertRow,
  usageAlertCrossings,
} from "./alert-storage";
import { billableCalls } from "./metering/storage";
import { periodContaining } from "./period";
import { thresholdsReached } from "./quota";
import { billingTermsOf, planFor } from "./terms";

/**
 * Usage alerts (docs/billing.md, usage alerts): a partner's thresholds as percentages of a
 * product's included calls, and the `usage.alerts` cron that emits `usage.threshold_reached`
 * once per alert and period, through the outbox.
 */

/** At most this many alerts a partner: a handful of thresholds per product is what alerts are for. */
export const MAX_ALERTS = 20;

export const alertView = (row: UsageAlertRow) => ({
  id: row.id,
  object: "usage_alert" as const,
  product: row.product as Product,
  threshold_percent: row.thresholdPercent,
  created_at: row.createdAt,
});

export async function listAlerts(db: Db, partnerId: string) {
  return { object: "list" as const, data: (await alertsOf(db, partnerId)).map(alertView) };
}

export async function createAlert(db: Db, partnerId: string, product: Product, thresholdPercent: number) {
  const existing = await alertsOf(db, partnerId);
  const same = existing.find((a) => a.product === product && a.thresholdPercent === thresholdPercent);
  if (same) return alertView(same);
  if (existing.length >= MAX_ALERTS) {
    const field = "params.threshold_percent";
    throw new ApiError(
      "validation",
      { field, msg: `at most ${MAX_ALERTS} alerts; delete one first` },
      { field },
    );
  }
  const at = new Date();
  const row = await insertAlert(db, {
    id: uuidv7(at.getTime()),
    partnerId,
    product,
    thresholdPercent,
    createdAt: at.toISOString(),
  });
  // A concurrent create of the same alert won: answer it.
  return alertView(
    row ??
      ((await alertsOf(db, partnerId)).find(
        (a) => a.product === product && a.thresholdPercent === thresholdPercent,
      ) as UsageAlertRow),
  );
}

export async function removeAlert(db: Db, partnerId: string, id: string) {
  if (!(await deleteAlert(db, partnerId, id)))
    throw new ApiError("not_found", { resource: `usage alert ${id}` });
  return { id, object: "usage_alert" as const, deleted: true as const };
}

/** One partner's alerts against its current period: each reached and not yet recorded is recorded with its event. */
async function checkPartner(ctx: CronContext, partnerId: string, today: string) {
  const [terms, alerts] = await Promise.all([billingTermsOf(ctx.db, partnerId), alertsOf(ctx.db, partnerId)]);
  if (!terms || alerts.length === 0) return 0;
  const period = periodContaining(terms.schedule, today);
  if (!period) return 0;
  const { plan, version } = planFor(terms, period);
  const crossingId = (a: UsageAlertRow) => `${a.id}:${period.start}`;
  const recorded = await crossingsAmong(ctx.db, alerts.map(crossingId));
  const pending = alerts.filter((a) => !recorded.has(crossingId(a)));
  if (pending.length === 0) return 0;
  const used = await billableCalls(ctx.db, partnerId, period.start, period.end);
  const [partner] = await ctx.db
    .select({ environment: partners.environment })
    .from(partners)
    .where(eq(partners.id, partnerId));
  let emitted = 0;
  for (const alert of pending) {
    const product = alert.product as Product;
    const calls = used[product] ?? 0;
    if (thresholdsReached(plan, product, calls, [alert.thresholdPercent]).length === 0) continue;
    const at = new Date(ctx.now).toISOString();
    const event = {
      id: uuidv7(ctx.now),
      type: "usage.threshold_reached",
      partnerId,
      livemode: partner?.environment === "production",
      createdAt: at,
      object: {
        object: "usage_alert",
        id: alert.id,
        product,
        threshold_percent: alert.thresholdPercent,
        included_calls: plan.products[product]?.included_calls ?? 0,
        used_calls: calls,
        plan_version: version,
        period: { start: period.start, end: period.end },
      },
    };
    const id = crossingId(alert);
    // The crossing and its event commit together; a second run (or a concurrent one) inserts no
    // crossing, so `changes()` is 0 and no second event is stored.
    await ctx.db.batch([
      ctx.db
        .insert(usageAlertCrossings)
        .values({ id, alertId: alert.id, periodStart: period.start, calls, createdAt: at })
        .onConflictDoNothing(),
      insertEventIfChanged(ctx.db, event, {
        table: usageAlertCrossings,
        idColumn: usageAlertCrossings.id,
        id,
      }),
    ]);
    if ((await ctx.db.$count(events, eq(events.id, event.id))) > 0) {
      emitted += 1;
      await sendEvent(ctx.db, ctx.env.EVENTS_QUEUE, event.id).catch(() => undefined);
    }
  }
  return emitted;
}

/**
 * The `usage.alerts` job (docs/cron.md): the partners with alerts in turns, `limit` a run by id
 * from where the last run stopped (nextSlice), each one's billable calls this period against the
 * plan in force's included calls. A send that fails
 * leaves the event to `events.drain`.
 */
export async function checkUsageAlerts(ctx: CronContext, limit: number): Promise<CronResult> {
  const today = new Date(ctx.now).toISOString().slice(0, 10);
  const ids = await nextSlice(ctx.db, "usage.alerts", limit, partnersWithAlertsAfter, ctx.now);
  let emitted = 0;
  for (const id of ids) emitted += await checkPartner(ctx, id, today);
  return { partners: ids.length, emitted };
}
