import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { newestFirst } from "../../platform/db/pages";
import type { PorticoEvent } from "../../platform/events/events";
import { insertEventIfChanged } from "../../platform/events/outbox";
import { CONSENT_TRANSITIONS, type ConsentScope, type ConsentStatus } from "./model";

/**
 * The statuses a consent may still expire from, as SQL literals, shared by the `consents_expiring`
 * index and its query: SQLite does not match a partial index's IN list to a bound one.
 */
const MAY_EXPIRE = sql.raw(`(${CONSENT_TRANSITIONS.expire.from.map((s) => `'${s}'`).join(", ")})`);

/**
 * Open banking consents (migration 0013). The bank's reference of the customer who
 * authorised a consent is kept here and never answered to the partner.
 */
export const consents = sqliteTable(
  "consents",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    /** The creating request's Idempotency-Key: a duplicate create finds the first consent. */
    idempotencyKey: text("idempotency_key").notNull(),
    status: text("status").$type<ConsentStatus>().notNull(),
    scopes: text("scopes", { mode: "json" }).$type<ConsentScope[]>().notNull(),
    expiresAt: text("expires_at").notNull(),
    authorisationUrl: text("authorisation_url").notNull(),
    customerRef: text("customer_ref"),
    statusUpdatedAt: text("status_updated_at").notNull(),
    authorisedAt: text("authorised_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("consents_partner_key").on(t.partnerId, t.idempotencyKey),
    // Only the consents that may still expire, by expiry (migration 0026): what the cron's sweep reads.
    index("consents_expiring").on(t.expiresAt, t.id).where(sql`${t.status} in ${MAY_EXPIRE}`),
  ],
);

export type ConsentRow = typeof consents.$inferSelect;

/** Inserts a consent; a second create under the same key gets the first one instead. */
export async function insertConsent(db: Db, row: ConsentRow): Promise<ConsentRow> {
  const [inserted] = await db.insert(consents).values(row).onConflictDoNothing().returning();
  if (inserted) return inserted;
  const [first] = await db
    .select()
    .from(consents)
    .where(and(eq(consents.partnerId, row.partnerId), eq(consents.idempotencyKey, row.idempotencyKey)))
    .limit(1);
  if (!first) throw new Error("consent insert conflicted but no consent holds its key");
  return first;
}

/** One of the partner's consents; another partner's id is unknown. */
export async function findConsent(db: Db, partnerId: string, id: string): Promise<ConsentRow | undefined> {
  const [row] = await db
    .select()
    .from(consents)
    .where(and(eq(consents.id, id), eq(consents.partnerId, partnerId)))
    .limit(1);
  return row;
}

/**
 * A page of the partner's consents, newest first (`limit + 1` rows to tell whether there is
 * more). `status` filters by the status as it stands at `now`: a consent that may still
 * expire and whose `expires_at` has passed counts as Expired, not as what is stored.
 */
export function consentPage(
  db: Db,
  partnerId: string,
  opts: { status?: ConsentStatus; startingAfter?: string; limit: number; now: string },
) {
  const expiring = CONSENT_TRANSITIONS.expire;
  const due = and(inArray(consents.status, [...expiring.from]), lte(consents.expiresAt, opts.now));
  const statusNow = sql`CASE WHEN ${due} THEN ${expiring.to} ELSE ${consents.status} END`;
  const page = newestFirst(
    consents,
    partnerId,
    opts,
    opts.status !== undefined ? sql`${statusNow} = ${opts.status}` : undefined,
  );
  return db.select().from(consents).where(page.where).orderBy(page.orderBy).limit(page.limit);
}

/**
 * Consents that may still expire and whose `expires_at` has passed at `now`, the longest
 * expired first, at most `limit` (the cron's sweep, through the `consents_expiring` index).
 */
export function dueConsents(db: Db, now: string, limit: number) {
  return db
    .select()
    .from(consents)
    .where(and(sql`${consents.status} in ${MAY_EXPIRE}`, lte(consents.expiresAt, now)))
    .orderBy(asc(consents.expiresAt), asc(consents.id))
    .limit(limit);
}

export interface ConsentChange {
  id: string;
  from: ConsentStatus;
  to: ConsentStatus;
  at: string;
  authorisedAt?: string;
  customerRef?: string;
  /** Put in the event outbox with the change, in the same batch. */
  event?: PorticoEvent;
}

/**
 * Moves a consent from `from` to `to` when it still is in `from` (a compare-and-set), with
 * its event; undefined when another request changed it first (nothing is written then).
 */
export async function changeConsent(db: Db, change: ConsentChange): Promise<ConsentRow | undefined> {
  const update = db
    .update(consents)
    .set({
      status: change.to,
      statusUpdatedAt: change.at,
      ...(change.authorisedAt !== undefined ? { authorisedAt: change.authorisedAt } : {}),
      ...(change.customerRef !== undefined ? { customerRef: change.customerRef } : {}),
    })
    .where(and(eq(consents.id, change.id), eq(consents.status, change.from)))
    .returning();
  if (!change.event) return (await update)[0];
  const source = { table: consents, idColumn: consents.id, id: change.id };
  const [rows] = await db.batch([update, insertEventIfChanged(db, change.event, source)]);
  return rows[0];
}
