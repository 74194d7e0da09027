import { eq, sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { partners } from "../partners/storage";
import type { RoutingRule } from "./model";

/** A partner's routing rules and default order (migrations/0042); no row: the environment's default. */
export const routingRules = sqliteTable("routing_rules", {
  partnerId: text("partner_id")
    .primaryKey()
    .references(() => partners.id),
  rules: text("rules", { mode: "json" }).$type<RoutingRule[]>().notNull(),
  defaultPriority: text("default_priority", { mode: "json" }).$type<string[]>(),
  version: integer("version").notNull(),
  updatedBy: text("updated_by").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export type RoutingRow = typeof routingRules.$inferSelect;

export async function findRouting(db: Db, partnerId: string): Promise<RoutingRow | undefined> {
  const [row] = await db.select().from(routingRules).where(eq(routingRules.partnerId, partnerId));
  return row;
}

/** Replaces the partner's routing, counting the version up. */
export async function saveRouting(db: Db, row: Omit<RoutingRow, "version">): Promise<RoutingRow> {
  const [saved] = await db
    .insert(routingRules)
    .values({ ...row, version: 1 })
    .onConflictDoUpdate({
      target: routingRules.partnerId,
      set: {
        rules: row.rules,
        defaultPriority: row.defaultPriority,
        updatedBy: row.updatedBy,
        updatedAt: row.updatedAt,
        version: sql`${routingRules.version} + 1`,
      },
    })
    .returning();
  if (!saved) throw new Error("routing not saved");
  return saved;
}

export async function partnerExists(db: Db, partnerId: string): Promise<boolean> {
  const [row] = await db.select({ id: partners.id }).from(partners).where(eq(partners.id, partnerId));
  return row !== undefined;
}
