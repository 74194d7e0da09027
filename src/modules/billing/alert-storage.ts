import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { partners } from "../partners/storage";

/** A partner's usage alert (migration 0037): a percentage of one product's included calls. */
export const usageAlerts = sqliteTable(
  "usage_alerts",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    product: text("product").notNull(),
    thresholdPercent: integer("threshold_percent").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("usage_alerts_partner_product_threshold").on(t.partnerId, t.product, t.thresholdPercent),
  ],
);

/** An alert's crossing in a period: `id` is `<alert id>:<period start>`, so it is recorded once. */
export const usageAlertCrossings = sqliteTable("usage_alert_crossings", {
  id: text("id").primaryKey(),
  alertId: text("alert_id").notNull(),
  periodStart: text("period_start").notNull(),
  calls: integer("calls").notNull(),
  createdAt: text("created_at").notNull(),
});

export type UsageAlertRow = typeof usageAlerts.$inferSelect;

export const alertsOf = (db: Db, partnerId: string) =>
  db.select().from(usageAlerts).where(eq(usageAlerts.partnerId, partnerId)).orderBy(asc(usageAlerts.id));

/** The alert, or undefined when it is another partner's or unknown (the same answer). */
export async function findAlert(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(usageAlerts)
    .where(and(eq(usageAlerts.id, id), eq(usageAlerts.partnerId, partnerId)));
  return row;
}

/** Inserts the alert; undefined when the partner has that product and threshold already. */
export async function insertAlert(db: Db, row: UsageAlertRow) {
  const [inserted] = await db.insert(usageAlerts).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function deleteAlert(db: Db, partnerId: string, id: string) {
  const gone = await db
    .delete(usageAlerts)
    .where(and(eq(usageAlerts.id, id), eq(usageAlerts.partnerId, partnerId)))
    .returning({ id: usageAlerts.id });
  return gone.length > 0;
}

/** Partners with alerts after `afterId`, by id: what the cron walks. */
export async function partnersWithAlertsAfter(db: Db, afterId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ partnerId: usageAlerts.partnerId })
    .from(usageAlerts)
    .where(gt(usageAlerts.partnerId, afterId))
    .orderBy(asc(usageAlerts.partnerId))
    .limit(limit);
  return rows.map((r) => r.partnerId);
}

/** The crossings recorded already among `ids`. */
export async function crossingsAmong(db: Db, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db
    .select({ id: usageAlertCrossings.id })
    .from(usageAlertCrossings)
    .where(inArray(usageAlertCrossings.id, ids));
  return new Set(rows.map((r) => r.id));
}
