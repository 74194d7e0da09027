import { and, asc, eq, gte, inArray, isNull, lte, ne, or, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { newestFirst, whenGiven } from "../../platform/db/pages";
import { events, timestamps } from "../../platform/db/schema";
import { insertEventIfChanged, type OutboxEvent } from "../../platform/events/outbox";
import { CURRENT_VERSION, FIRST_VERSION } from "../../platform/versions/registry";

// ---------------------------------------------------------------------------- tables
/**
 * A partner's webhook endpoint. Its signing secrets are sealed (AES-GCM, `src/platform/lib/secret-box.ts`):
 * they must be usable to sign, so they cannot be hashed. During a rotation the previous
 * secret keeps signing until `previous_expires_at`.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    url: text("url").notNull(),
    description: text("description"),
    /** Event types delivered here; an empty list means every type. */
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    status: text("status", { enum: ["enabled", "disabled", "deleted"] })
      .notNull()
      .default("enabled"),
    disabledReason: text("disabled_reason"),
    signing: text("signing", { enum: ["hmac_sha256", "ed25519"] }).notNull(),
    secretSealed: text("secret_sealed").notNull(),
    /** For ed25519 endpoints: the public key (`whpk_…`) partners verify with. */
    publicKey: text("public_key"),
    previousSecretSealed: text("previous_secret_sealed"),
    previousPublicKey: text("previous_public_key"),
    previousExpiresAt: text("previous_expires_at"),
    /** When the current run of failed deliveries began; cleared by a success. */
    failingSince: text("failing_since"),
    /**
     * The API version its events are rendered in (docs/versions.md). Endpoints made before versions
     * had dates read the first version (the column's default); a new one takes its partner's pin.
     */
    apiVersion: text("api_version")
      .notNull()
      .default(FIRST_VERSION)
      .$defaultFn(() => CURRENT_VERSION),
    ...timestamps,
  },
  (t) => [index("webhook_endpoints_partner").on(t.partnerId, t.id)],
);

/** One event to one endpoint: created by the fan-out, walked by the delivery consumer. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").notNull(),
    endpointId: text("endpoint_id").notNull(),
    partnerId: text("partner_id").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastAttemptAt: text("last_attempt_at"),
    nextAttemptAt: text("next_attempt_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint").on(t.eventId, t.endpointId),
    index("webhook_deliveries_endpoint_status").on(t.endpointId, t.status, t.createdAt),
    index("webhook_deliveries_pending").on(t.updatedAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** Every delivery attempt, as the partner sees it in the API. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id").notNull(),
    eventId: text("event_id").notNull(),
    endpointId: text("endpoint_id").notNull(),
    attemptedAt: text("attempted_at").notNull(),
    /** The endpoint's HTTP status, or null when no answer came (timeout, refused URL, network). */
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    /** The first bytes of the answer, for the partner's debugging. */
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    outcome: text("outcome", { enum: ["succeeded", "retry", "failed"] }).notNull(),
    nextRetryAt: text("next_retry_at"),
  },
  (t) => [index("webhook_attempts_event").on(t.eventId, t.id)],
);

// --------------------------------------------------------------------------- queries

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferInsert;
export type EventRow = typeof events.$inferSelect;

export async function insertEndpoint(db: Db, row: typeof webhookEndpoints.$inferInsert) {
  await db.insert(webhookEndpoints).values(row);
}

/** One of the partner's endpoints (never a deleted one, never another partner's). */
export async function findEndpoint(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.id, id),
        eq(webhookEndpoints.partnerId, partnerId),
        ne(webhookEndpoints.status, "deleted"),
      ),
    )
    .limit(1);
  return row;
}

export function endpointsOf(db: Db, partnerId: string, opts: { startingAfter?: string; limit: number }) {
  const page = newestFirst(webhookEndpoints, partnerId, opts, ne(webhookEndpoints.status, "deleted"));
  return db.select().from(webhookEndpoints).where(page.where).orderBy(page.orderBy).limit(page.limit);
}

export async function updateEndpoint(
  db: Db,
  partnerId: string,
  id: string,
  set: Partial<typeof webhookEndpoints.$inferInsert>,
) {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ ...set, updatedAt: new Date().toISOString() })
    .where(
      and(
        eq(webhookEndpoints.id, id),
        eq(webhookEndpoints.partnerId, partnerId),
        ne(webhookEndpoints.status, "deleted"),
      ),
    )
    .returning();
  return row;
}

/**
 * Disables an enabled endpoint, with its `endpoint.disabled` event in the same batch: both
 * commit, or neither. Undefined when it was not enabled (then nothing changed, no event).
 */
export async function disableEndpointRow(
  db: Db,
  endpoint: EndpointRow,
  reason: string,
  event: (disabled: EndpointRow) => OutboxEvent,
): Promise<EndpointRow | undefined> {
  const change = { status: "disabled" as const, disabledReason: reason, updatedAt: new Date().toISOString() };
  const [updated] = await db.batch([
    db
      .update(webhookEndpoints)
      .set(change)
      .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.status, "enabled")))
      .returning(),
    insertEventIfChanged(db, event({ ...endpoint, ...change }), {
      table: webhookEndpoints,
      idColumn: webhookEndpoints.id,
      id: endpoint.id,
    }),
  ]);
  return updated[0];
}

/** The partner's enabled endpoints that take this event type (an empty filter takes all). */
export function subscribedEndpoints(db: Db, partnerId: string, type: string) {
  return db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.partnerId, partnerId),
        eq(webhookEndpoints.status, "enabled"),
        sql`(json_array_length(${webhookEndpoints.events}) = 0 OR EXISTS (SELECT 1 FROM json_each(${webhookEndpoints.events}) WHERE value = ${type}))`,
      ),
    );
}

export async function findEvent(db: Db, id: string, partnerId?: string) {
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.id, id), partnerId !== undefined ? eq(events.partnerId, partnerId) : undefined))
    .limit(1);
  return row;
}

/** Creates the deliveries that do not exist yet; answers every delivery of the event to these endpoints. */
export async function ensureDeliveries(
  db: Db,
  rows: (typeof webhookDeliveries.$inferInsert)[],
): Promise<DeliveryRow[]> {
  if (rows.length === 0) return [];
  await db.insert(webhookDeliveries).values(rows).onConflictDoNothing();
  const eventId = rows[0]?.eventId as string;
  return db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.eventId, eventId),
        inArray(
          webhookDeliveries.endpointId,
          rows.map((r) => r.endpointId),
        ),
      ),
    );
}

/** A delivery with its endpoint and event, for one attempt. */
export async function deliveryContext(db: Db, deliveryId: string) {
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints, event: events })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.id, deliveryId))
    .limit(1);
  return row;
}

/**
 * One attempt: its record, the delivery's new state and, when it changed, the endpoint's
 * failure run, all or nothing.
 */
export async function recordAttempt(
  db: Db,
  attempt: AttemptRow,
  delivery: { status: DeliveryRow["status"]; nextAttemptAt: string | null },
  endpoint: { failingSince: string | null } | undefined,
) {
  const endpointUpdate = endpoint
    ? [
        db
          .update(webhookEndpoints)
          .set({ failingSince: endpoint.failingSince })
          .where(eq(webhookEndpoints.id, attempt.endpointId)),
      ]
    : [];
  await db.batch([
    db.insert(webhookAttempts).values(attempt),
    db
      .update(webhookDeliveries)
      .set({
        status: delivery.status,
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastAttemptAt: attempt.attemptedAt,
        nextAttemptAt: delivery.nextAttemptAt,
        updatedAt: attempt.attemptedAt,
      })
      .where(eq(webhookDeliveries.id, attempt.deliveryId)),
    ...endpointUpdate,
  ]);
}

/**
 * A dead-lettered delivery still pending (its consumer kept crashing) is failed for good,
 * unless it was reopened (recover, resend) after the dead letter was written.
 */
export async function failDeadDelivery(db: Db, deliveryId: string, deadSince: Date) {
  await db
    .update(webhookDeliveries)
    .set({ status: "failed", nextAttemptAt: null, updatedAt: new Date().toISOString() })
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.status, "pending"),
        lte(webhookDeliveries.updatedAt, deadSince.toISOString()),
      ),
    );
}

export async function setDeliveryStatus(db: Db, deliveryId: string, status: DeliveryRow["status"]) {
  await db
    .update(webhookDeliveries)
    .set({ status, nextAttemptAt: null, updatedAt: new Date().toISOString() })
    .where(eq(webhookDeliveries.id, deliveryId));
}

/**
 * Pending deliveries untouched since `cutoff` and not due after it: their queue message was
 * lost (an attempt that is merely scheduled later has `next_attempt_at` ahead). Claimed by
 * touching them, so a delivery is re-driven once per period at most; answers those claimed.
 */
export async function claimStaleDeliveries(db: Db, cutoff: string, limit: number, now: string) {
  const stale = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        lte(webhookDeliveries.updatedAt, cutoff),
        or(isNull(webhookDeliveries.nextAttemptAt), lte(webhookDeliveries.nextAttemptAt, cutoff)),
      ),
    )
    .orderBy(asc(webhookDeliveries.updatedAt))
    .limit(limit);
  return db
    .update(webhookDeliveries)
    .set({ updatedAt: now })
    .where(and(inArray(webhookDeliveries.id, stale), eq(webhookDeliveries.status, "pending")))
    .returning({ id: webhookDeliveries.id });
}

/** Failed deliveries to one endpoint since a time, set pending again for a new round. */
export async function reopenFailedDeliveries(db: Db, endpointId: string, since: string) {
  return db
    .update(webhookDeliveries)
    .set({ status: "pending", nextAttemptAt: null, updatedAt: new Date().toISOString() })
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.status, "failed"),
        gte(webhookDeliveries.createdAt, since),
      ),
    )
    .returning({ id: webhookDeliveries.id });
}

/** Sets these deliveries of an event pending again (a resend). */
export async function reopenDeliveries(db: Db, ids: string[]) {
  if (ids.length === 0) return;
  await db
    .update(webhookDeliveries)
    .set({ status: "pending", nextAttemptAt: null, updatedAt: new Date().toISOString() })
    .where(inArray(webhookDeliveries.id, ids));
}

/**
 * How an event's deliveries stand, as one word: none, pending, failed or succeeded. The outer
 * column is written out: drizzle leaves a lone table's columns unqualified, which here would
 * bind to the deliveries' own `id`.
 */
const deliveryStatusSql = sql<string>`(SELECT CASE
    WHEN count(*) = 0 THEN 'none'
    WHEN sum(d.status = 'pending') > 0 THEN 'pending'
    WHEN sum(d.status = 'failed') > 0 THEN 'failed'
    ELSE 'succeeded' END
  FROM webhook_deliveries d WHERE d.event_id = "events"."id")`;

export interface EventFilter {
  type?: string;
  createdGte?: string;
  createdLte?: string;
  deliveryStatus?: string;
  startingAfter?: string;
  limit: number;
}

/** The partner's events, newest first, with their delivery status (`limit + 1` rows). */
export function eventsOf(db: Db, partnerId: string, f: EventFilter) {
  const page = newestFirst(
    events,
    partnerId,
    f,
    whenGiven(events.type, f.type),
    f.createdGte !== undefined ? gte(events.createdAt, f.createdGte) : undefined,
    f.createdLte !== undefined ? lte(events.createdAt, f.createdLte) : undefined,
    f.deliveryStatus !== undefined ? sql`${deliveryStatusSql} = ${f.deliveryStatus}` : undefined,
  );
  return db
    .select({ event: events, deliveryStatus: deliveryStatusSql })
    .from(events)
    .where(page.where)
    .orderBy(page.orderBy)
    .limit(page.limit);
}

export async function eventWithStatus(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select({ event: events, deliveryStatus: deliveryStatusSql })
    .from(events)
    .where(and(eq(events.id, id), eq(events.partnerId, partnerId)))
    .limit(1);
  return row;
}

export function attemptsOf(db: Db, eventId: string) {
  return db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.eventId, eventId))
    .orderBy(webhookAttempts.id);
}

export function deliveriesOf(db: Db, eventId: string) {
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId));
}
