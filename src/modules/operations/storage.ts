import { and, asc, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import type { MetricFilters } from "./model";

// ---------------------------------------------------------------------------- tables
/** An alert rule (migrations/0045_ops_alerts.sql): its condition, connector, state and streak. */
export const alertRules = sqliteTable(
  "alert_rules",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    metric: text("metric").notNull(),
    filters: text("filters", { mode: "json" }).$type<MetricFilters>().notNull(),
    comparator: text("comparator").notNull(),
    threshold: integer("threshold").notNull(),
    resolveThreshold: integer("resolve_threshold").notNull(),
    windowMinutes: integer("window_minutes").notNull(),
    minSamples: integer("min_samples").notNull(),
    fireAfter: integer("fire_after").notNull(),
    resolveAfter: integer("resolve_after").notNull(),
    connectorType: text("connector_type").notNull(),
    connectorUrl: text("connector_url"),
    /** The webhook connector's signing secret, sealed (src/platform/lib/secret-box.ts) under the rule's id. */
    secretSealed: text("secret_sealed"),
    state: text("state").notNull().default("ok"),
    streak: integer("streak").notNull().default(0),
    lastValue: integer("last_value"),
    lastSamples: integer("last_samples"),
    lastEvaluatedAt: text("last_evaluated_at"),
    stateSince: text("state_since").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("alert_rules_evaluated").on(t.lastEvaluatedAt, t.id)],
);

/** Every transition of a rule, and its delivery to the rule's connector (the sandbox sink's rows too). */
export const alertEvents = sqliteTable(
  "alert_events",
  {
    id: text("id").primaryKey(),
    ruleId: text("rule_id").notNull(),
    kind: text("kind").notNull(),
    value: integer("value"),
    samples: integer("samples").notNull(),
    threshold: integer("threshold").notNull(),
    windowFrom: text("window_from").notNull(),
    windowTo: text("window_to").notNull(),
    connectorType: text("connector_type").notNull(),
    /** The JSON body the connector is sent (the same bytes every attempt). */
    payload: text("payload").notNull(),
    deliveryStatus: text("delivery_status").notNull().default("pending"),
    deliveryAttempts: integer("delivery_attempts").notNull().default(0),
    lastError: text("last_error"),
    deliveredAt: text("delivered_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("alert_events_rule").on(t.ruleId, t.id),
    uniqueIndex("alert_events_rule_window").on(t.ruleId, t.windowTo, t.kind),
  ],
);

export type AlertRuleRow = typeof alertRules.$inferSelect;
export type AlertEventRow = typeof alertEvents.$inferSelect;

// --------------------------------------------------------------------------- queries

export const countRules = async (db: Db) =>
  (await db.select({ n: sql<number>`count(*)` }).from(alertRules))[0]?.n ?? 0;

export async function insertRule(db: Db, row: typeof alertRules.$inferInsert) {
  await db.insert(alertRules).values(row);
}

export async function findRule(db: Db, id: string) {
  const [row] = await db.select().from(alertRules).where(eq(alertRules.id, id)).limit(1);
  return row;
}

/** Every rule, newest first (at most MAX_RULES exist). */
export const listRules = (db: Db) => db.select().from(alertRules).orderBy(desc(alertRules.id));

export async function updateRule(db: Db, id: string, set: Partial<typeof alertRules.$inferInsert>) {
  const [row] = await db.update(alertRules).set(set).where(eq(alertRules.id, id)).returning();
  return row;
}

/** Deletes the rule; its transitions stay, as the record of what fired. */
export async function deleteRule(db: Db, id: string) {
  const rows = await db.delete(alertRules).where(eq(alertRules.id, id)).returning({ id: alertRules.id });
  return rows.length > 0;
}

/** The rules not evaluated since `before`, least recently evaluated first (never evaluated before all). */
export const rulesDue = (db: Db, before: string, limit: number) =>
  db
    .select()
    .from(alertRules)
    .where(or(isNull(alertRules.lastEvaluatedAt), lt(alertRules.lastEvaluatedAt, before)))
    .orderBy(
      sql`${alertRules.lastEvaluatedAt} IS NOT NULL`,
      asc(alertRules.lastEvaluatedAt),
      asc(alertRules.id),
    )
    .limit(limit);

/**
 * Writes one evaluation: the rule's new state, streak and figures, and the transition when there
 * is one, in one batch, and only if no other run evaluated the rule since it was read
 * (`readEvaluatedAt`): two overlapping runs never record one transition twice.
 */
export async function recordEvaluation(
  db: Db,
  rule: AlertRuleRow,
  set: Partial<typeof alertRules.$inferInsert>,
  transition: typeof alertEvents.$inferInsert | undefined,
): Promise<boolean> {
  const unchanged =
    rule.lastEvaluatedAt === null
      ? isNull(alertRules.lastEvaluatedAt)
      : eq(alertRules.lastEvaluatedAt, rule.lastEvaluatedAt);
  const update = db
    .update(alertRules)
    .set(set)
    .where(and(eq(alertRules.id, rule.id), unchanged))
    .returning({ id: alertRules.id });
  if (!transition) return (await update).length > 0;
  // The transition is inserted only when the update took: the INSERT … SELECT reads the rule as
  // the update left it (its `last_evaluated_at` the one this evaluation wrote). Two runs of the same
  // scheduled time write the same `window_to`: the unique (rule, window_to, kind) keeps one.
  const [updated] = await db.batch([
    update,
    // Every column in the table's order, as drizzle lists them for INSERT … SELECT.
    db
      .insert(alertEvents)
      .select(
        sql`SELECT ${transition.id}, ${transition.ruleId}, ${transition.kind}, ${transition.value ?? null},
          ${transition.samples}, ${transition.threshold}, ${transition.windowFrom}, ${transition.windowTo},
          ${transition.connectorType}, ${transition.payload}, 'pending', 0, NULL, NULL, ${transition.createdAt}
        WHERE EXISTS (SELECT 1 FROM alert_rules WHERE id = ${rule.id}
          AND last_evaluated_at = ${set.lastEvaluatedAt ?? null} AND state = ${set.state ?? rule.state})`,
      )
      .onConflictDoNothing(),
  ]);
  return updated.length > 0;
}

/** Transitions still to deliver, oldest first. */
export const pendingEvents = (db: Db, limit: number) =>
  db
    .select()
    .from(alertEvents)
    .where(eq(alertEvents.deliveryStatus, "pending"))
    .orderBy(asc(alertEvents.id))
    .limit(limit);

/**
 * Claims the next attempt of a pending transition (its attempt count as read): of two overlapping
 * runs, only one sends it.
 */
export async function claimDelivery(db: Db, id: string, attemptsRead: number) {
  const rows = await db
    .update(alertEvents)
    .set({ deliveryAttempts: attemptsRead + 1 })
    .where(
      and(
        eq(alertEvents.id, id),
        eq(alertEvents.deliveryStatus, "pending"),
        eq(alertEvents.deliveryAttempts, attemptsRead),
      ),
    )
    .returning({ id: alertEvents.id });
  return rows.length > 0;
}

/**
 * Records one delivery attempt, only while the transition is still pending: a transition is
 * marked delivered once, whichever run delivered it.
 */
export async function recordDelivery(
  db: Db,
  id: string,
  set: {
    deliveryStatus: string;
    deliveryAttempts: number;
    lastError: string | null;
    deliveredAt: string | null;
  },
) {
  const rows = await db
    .update(alertEvents)
    .set(set)
    .where(and(eq(alertEvents.id, id), eq(alertEvents.deliveryStatus, "pending")))
    .returning({ id: alertEvents.id });
  return rows.length > 0;
}

/** Transitions newest first, of one rule or every rule, paged by id. */
export const listEvents = (db: Db, opts: { ruleId?: string; startingAfter?: string; limit: number }) =>
  db
    .select()
    .from(alertEvents)
    .where(
      and(
        opts.ruleId !== undefined ? eq(alertEvents.ruleId, opts.ruleId) : undefined,
        opts.startingAfter !== undefined ? lt(alertEvents.id, opts.startingAfter) : undefined,
      ),
    )
    .orderBy(desc(alertEvents.id))
    .limit(opts.limit + 1);
