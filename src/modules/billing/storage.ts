import { asc, eq, gt } from "drizzle-orm";
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { timestamps } from "../../platform/db/schema";
import { partners } from "../partners/storage";
import type { RatePlan } from "./model";

// ---------------------------------------------------------------------------- tables
/** A partner's billing account (migration 0035): when billing starts, the anchor, tax, settlement. */
export const billingAccounts = sqliteTable("billing_accounts", {
  partnerId: text("partner_id")
    .primaryKey()
    .references(() => partners.id),
  /** The first day billed, `YYYY-MM-DD` (UTC). */
  startsOn: text("starts_on").notNull(),
  /** A day the periods start on; `startsOn` when null (docs/billing.md, periods). */
  anchor: text("anchor"),
  /** The contract's tax rate in basis points, on an invoice's subtotal net of credits. */
  taxBps: integer("tax_bps").notNull().default(0),
  /** `invoice`: the partner pays the invoice; `balance`: it is settled from the partner's balance. */
  settlement: text("settlement", { enum: ["invoice", "balance"] })
    .notNull()
    .default("invoice"),
  ...timestamps,
});

/** A plan's versions: each prices the periods starting on or after `effectiveFrom`, until the next. */
export const ratePlans = sqliteTable(
  "rate_plans",
  {
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    version: integer("version").notNull(),
    plan: text("plan", { mode: "json" }).$type<RatePlan>().notNull(),
    /** `YYYY-MM-DD`: the start of the first period this version prices. */
    effectiveFrom: text("effective_from").notNull(),
    /** The approved change request that added it; null for a plan set without one (tests, seed). */
    changeRequestId: text("change_request_id"),
    createdAt: timestamps.createdAt,
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.version] })],
);

export type BillingAccountRow = typeof billingAccounts.$inferSelect;
export type RatePlanRow = typeof ratePlans.$inferSelect;

export async function findBillingAccount(db: Db, partnerId: string): Promise<BillingAccountRow | undefined> {
  const [row] = await db.select().from(billingAccounts).where(eq(billingAccounts.partnerId, partnerId));
  return row;
}

/** A partner's plan versions, oldest first. */
export function planVersions(db: Db, partnerId: string): Promise<RatePlanRow[]> {
  return db
    .select()
    .from(ratePlans)
    .where(eq(ratePlans.partnerId, partnerId))
    .orderBy(asc(ratePlans.version));
}

/** Billing accounts after `afterId`, by partner id: what the period-close job walks. */
export function billingAccountsAfter(db: Db, afterId: string, limit: number): Promise<BillingAccountRow[]> {
  return db
    .select()
    .from(billingAccounts)
    .where(gt(billingAccounts.partnerId, afterId))
    .orderBy(asc(billingAccounts.partnerId))
    .limit(limit);
}
