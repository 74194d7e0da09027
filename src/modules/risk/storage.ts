import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import type {
  Condition,
  Decision,
  Fallback,
  ListKind,
  ListType,
  Review,
  ReviewStatus,
  RuleMode,
} from "./model";

// ---------------------------------------------------------------------------- tables (migration 0041)

export const riskRules = sqliteTable(
  "risk_rules",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    conditions: text("conditions", { mode: "json" }).$type<Condition[]>().notNull(),
    action: text("action").$type<Decision>().notNull(),
    mode: text("mode").$type<RuleMode>().notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("risk_rules_partner_position").on(t.partnerId, t.position, t.id)],
);
export type RuleRow = typeof riskRules.$inferSelect;

export const riskListEntries = sqliteTable(
  "risk_list_entries",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    list: text("list").$type<ListKind>().notNull(),
    type: text("type").$type<ListType>().notNull(),
    value: text("value").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("risk_list_entries_value").on(t.partnerId, t.list, t.type, t.value)],
);
export type ListRow = typeof riskListEntries.$inferSelect;

export const riskSettings = sqliteTable("risk_settings", {
  partnerId: text("partner_id").primaryKey(),
  scoringTimeoutMs: integer("scoring_timeout_ms").notNull(),
  scoringFallback: text("scoring_fallback").$type<Fallback>().notNull(),
  updatedAt: text("updated_at").notNull(),
});

/** The review queue: a projection of each held payment's `risk.review`; the payment's object is the truth. */
export const riskReviews = sqliteTable(
  "risk_reviews",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    paymentId: text("payment_id").notNull(),
    objectName: text("object_name").notNull(),
    status: text("status").$type<ReviewStatus>().notNull(),
    snapshot: text("snapshot", { mode: "json" }).$type<Review>().notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("risk_reviews_partner_status").on(t.partnerId, t.status, t.id)],
);

/** Every change to a partner's rules, lists and settings: who, what, before and after. */
export const riskAudit = sqliteTable(
  "risk_audit",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    clientId: text("client_id").notNull(),
    requestId: text("request_id").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull(),
    before: text("before", { mode: "json" }).$type<unknown>(),
    after: text("after", { mode: "json" }).$type<unknown>(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("risk_audit_partner").on(t.partnerId, t.id)],
);
export type AuditRow = typeof riskAudit.$inferSelect;

// --------------------------------------------------------------------------- queries

/** The partner's rules in evaluation order: position, then id (the older first). */
export const rulesOf = (db: Db, partnerId: string) =>
  db
    .select()
    .from(riskRules)
    .where(eq(riskRules.partnerId, partnerId))
    .orderBy(asc(riskRules.position), asc(riskRules.id));

export async function ruleOf(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(riskRules)
    .where(and(eq(riskRules.partnerId, partnerId), eq(riskRules.id, id)));
  return row;
}

export async function countOf(db: Db, table: typeof riskRules | typeof riskListEntries, partnerId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(table)
    .where(eq(table.partnerId, partnerId));
  return row?.n ?? 0;
}

export async function lastPosition(db: Db, partnerId: string) {
  const [row] = await db
    .select({ max: sql<number | null>`max(${riskRules.position})` })
    .from(riskRules)
    .where(eq(riskRules.partnerId, partnerId));
  return row?.max ?? 0;
}

export const listEntriesOf = (db: Db, partnerId: string) =>
  db
    .select()
    .from(riskListEntries)
    .where(eq(riskListEntries.partnerId, partnerId))
    .orderBy(asc(riskListEntries.id));

export async function listEntryOf(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(riskListEntries)
    .where(and(eq(riskListEntries.partnerId, partnerId), eq(riskListEntries.id, id)));
  return row;
}

export async function findListEntry(
  db: Db,
  partnerId: string,
  list: ListKind,
  type: ListType,
  value: string,
) {
  const [row] = await db
    .select()
    .from(riskListEntries)
    .where(
      and(
        eq(riskListEntries.partnerId, partnerId),
        eq(riskListEntries.list, list),
        eq(riskListEntries.type, type),
        eq(riskListEntries.value, value),
      ),
    );
  return row;
}

export async function settingsOf(db: Db, partnerId: string) {
  const [row] = await db.select().from(riskSettings).where(eq(riskSettings.partnerId, partnerId));
  return row;
}

/** The review's row as its payment's object last committed it (written with the payment's projection). */
export async function upsertReview(db: Db, row: typeof riskReviews.$inferInsert) {
  await db
    .insert(riskReviews)
    .values(row)
    .onConflictDoUpdate({
      target: riskReviews.id,
      set: { status: row.status, snapshot: row.snapshot, updatedAt: row.updatedAt },
    });
}

export async function reviewOf(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(riskReviews)
    .where(and(eq(riskReviews.partnerId, partnerId), eq(riskReviews.id, id)));
  return row;
}

/** A page of the partner's reviews, newest first (`limit + 1` rows to tell whether there is more). */
export function reviewPage(
  db: Db,
  partnerId: string,
  opts: { status?: ReviewStatus | undefined; startingAfter?: string | undefined; limit: number },
) {
  const where = [eq(riskReviews.partnerId, partnerId)];
  if (opts.status) where.push(eq(riskReviews.status, opts.status));
  if (opts.startingAfter) where.push(lt(riskReviews.id, opts.startingAfter));
  return db
    .select()
    .from(riskReviews)
    .where(and(...where))
    .orderBy(desc(riskReviews.id))
    .limit(opts.limit + 1);
}

export function auditPage(
  db: Db,
  partnerId: string,
  opts: { startingAfter?: string | undefined; limit: number },
) {
  const where = [eq(riskAudit.partnerId, partnerId)];
  if (opts.startingAfter) where.push(lt(riskAudit.id, opts.startingAfter));
  return db
    .select()
    .from(riskAudit)
    .where(and(...where))
    .orderBy(desc(riskAudit.id))
    .limit(opts.limit + 1);
}

// ------------------------------------------------------------------ changes, each with its audit row
// A change and its audit row commit in one batch: a change the audit does not know of never happened.

type AuditInsert = typeof riskAudit.$inferInsert;

export async function insertRule(db: Db, row: RuleRow, audit: AuditInsert) {
  await db.batch([db.insert(riskRules).values(row), db.insert(riskAudit).values(audit)]);
}

export async function updateRule(db: Db, row: RuleRow, audit: AuditInsert) {
  await db.batch([
    db
      .update(riskRules)
      .set(row)
      .where(and(eq(riskRules.partnerId, row.partnerId), eq(riskRules.id, row.id))),
    db.insert(riskAudit).values(audit),
  ]);
}

export async function deleteRule(db: Db, row: RuleRow, audit: AuditInsert) {
  await db.batch([
    db.delete(riskRules).where(and(eq(riskRules.partnerId, row.partnerId), eq(riskRules.id, row.id))),
    db.insert(riskAudit).values(audit),
  ]);
}

export async function insertListEntry(db: Db, row: ListRow, audit: AuditInsert) {
  await db.batch([db.insert(riskListEntries).values(row), db.insert(riskAudit).values(audit)]);
}

export async function deleteListEntry(db: Db, row: ListRow, audit: AuditInsert) {
  await db.batch([
    db
      .delete(riskListEntries)
      .where(and(eq(riskListEntries.partnerId, row.partnerId), eq(riskListEntries.id, row.id))),
    db.insert(riskAudit).values(audit),
  ]);
}

export async function putSettings(db: Db, row: typeof riskSettings.$inferInsert, audit: AuditInsert) {
  await db.batch([
    db
      .insert(riskSettings)
      .values(row)
      .onConflictDoUpdate({
        target: riskSettings.partnerId,
        set: {
          scoringTimeoutMs: row.scoringTimeoutMs,
          scoringFallback: row.scoringFallback,
          updatedAt: row.updatedAt,
        },
      }),
    db.insert(riskAudit).values(audit),
  ]);
}
