import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import { index, integer, type SQLiteColumn, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { newestFirst, whenGiven } from "../../platform/db/pages";
import { insertEventIfChanged, type OutboxEvent } from "../../platform/events/outbox";
import {
  ATTACHMENT_STATUSES,
  type AttachmentStatus,
  BLOCK_REASONS,
  type BlockReason,
  CARD_CURRENCIES,
  CARD_TYPES,
} from "./model";

// Cards (docs/products.md). A card number is never stored: a card is its first 6 + last 4 digits
// and the card system's own id for it (`card_ref`), by which one card is attached once.

/**
 * Ordered at the card system, not completed: the condition of the `card_applications_in_production`
 * partial index, one fragment for the index and its query so the two never drift apart.
 */
const inProduction = (t: { status: SQLiteColumn; reference: SQLiteColumn }) =>
  sql`${t.status} = 'in_progress' AND ${t.reference} IS NOT NULL`;

export const cardApplications = sqliteTable(
  "card_applications",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    /** The creating request's Idempotency-Key: a retry after a crash finds its application. */
    idempotencyKey: text("idempotency_key").notNull(),
    type: text("type", { enum: CARD_TYPES }).notNull(),
    currency: text("currency", { enum: CARD_CURRENCIES }).notNull(),
    status: text("status", { enum: ["in_progress", "completed"] }).notNull(),
    /** The card system's id for the order; null until it was submitted. */
    reference: text("reference"),
    /** `{ full_name, phone_number, birth_date, document_number, address }` as ordered. */
    applicant: text("applicant", { mode: "json" }).$type<Record<string, string | null>>().notNull(),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, string>>().notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    submittedAt: text("submitted_at"),
    completedAt: text("completed_at"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("card_applications_partner_key").on(t.partnerId, t.idempotencyKey),
    // Only the orders the card system is still producing, oldest first (migration 0026): what
    // the cron's follow-up reads.
    index("card_applications_in_production").on(t.submittedAt, t.id).where(inProduction(t)),
  ],
);

export const cards = sqliteTable(
  "cards",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    origin: text("origin", { enum: ["issued", "attached"] }).notNull(),
    cardRef: text("card_ref").notNull(),
    applicationId: text("application_id"),
    attachmentId: text("attachment_id"),
    type: text("type", { enum: CARD_TYPES }),
    currency: text("currency", { enum: CARD_CURRENCIES }),
    first6: text("first6").notNull(),
    last4: text("last4").notNull(),
    holderName: text("holder_name").notNull(),
    expiryMonth: integer("expiry_month").notNull(),
    expiryYear: integer("expiry_year").notNull(),
    phoneNumber: text("phone_number"),
    status: text("status", { enum: ["active", "blocked"] }).notNull(),
    blockReason: text("block_reason", { enum: BLOCK_REASONS }),
    /** The Idempotency-Key of the block: its retry resumes instead of answering 409. */
    blockKey: text("block_key"),
    blockedAt: text("blocked_at"),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("cards_card_ref").on(t.cardRef),
    uniqueIndex("cards_application").on(t.applicationId),
    uniqueIndex("cards_attachment").on(t.attachmentId),
    index("cards_partner").on(t.partnerId, t.id),
  ],
);

/** An attach by SMS code: the card as the bank found it, the code's hash, its expiry and attempts. */
export const cardAttachments = sqliteTable(
  "card_attachments",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    cardRef: text("card_ref").notNull(),
    first6: text("first6").notNull(),
    last4: text("last4").notNull(),
    holderName: text("holder_name").notNull(),
    expiryMonth: integer("expiry_month").notNull(),
    expiryYear: integer("expiry_year").notNull(),
    phoneNumber: text("phone_number").notNull(),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    status: text("status", { enum: ATTACHMENT_STATUSES }).notNull(),
    expiresAt: text("expires_at").notNull(),
    /** The Idempotency-Key of the successful confirm: its retry resumes. */
    confirmKey: text("confirm_key"),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("card_attachments_partner_key").on(t.partnerId, t.idempotencyKey),
    // One live code per card and phone number, whoever asked (1007): pending, or spent
    // on wrong guesses, until it expires.
    uniqueIndex("card_attachments_live")
      .on(t.cardRef, t.phoneNumber)
      .where(sql`status in ('pending', 'exhausted')`),
  ],
);

export type ApplicationRow = typeof cardApplications.$inferSelect;
export type CardRow = typeof cards.$inferSelect;
export type AttachmentRow = typeof cardAttachments.$inferSelect;

/** Whether a D1 error is a broken unique constraint (a concurrent writer got there first). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e.message.includes("UNIQUE constraint failed")) return true;
  }
  return false;
}

// ---------------------------------------------------------------------- applications

/**
 * Inserts the application, with its `card_application.created` event in the same batch, unless
 * this partner's key made one already (then neither is written); answers the key's application.
 */
export async function insertApplication(
  db: Db,
  row: typeof cardApplications.$inferInsert & { id: string },
  event: (row: ApplicationRow) => OutboxEvent,
) {
  await db.batch([
    db.insert(cardApplications).values(row).onConflictDoNothing(),
    insertEventIfChanged(db, event(applicationRowOf(row)), {
      table: cardApplications,
      idColumn: cardApplications.id,
      id: row.id,
    }),
  ]);
  const [stored] = await db
    .select()
    .from(cardApplications)
    .where(
      and(
        eq(cardApplications.partnerId, row.partnerId),
        eq(cardApplications.idempotencyKey, row.idempotencyKey),
      ),
    );
  return stored;
}

export async function findApplication(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(cardApplications)
    .where(and(eq(cardApplications.id, id), eq(cardApplications.partnerId, partnerId)));
  return row;
}

/**
 * Applications whose order the card system took and has not completed, the oldest order first,
 * at most `limit` (the cron's follow-up, through the `card_applications_in_production` index).
 */
export function applicationsInProduction(db: Db, limit: number) {
  return db
    .select()
    .from(cardApplications)
    .where(inProduction(cardApplications))
    .orderBy(asc(cardApplications.submittedAt), asc(cardApplications.id))
    .limit(limit);
}

export async function setApplicationReference(db: Db, id: string, reference: string, now: string) {
  await db
    .update(cardApplications)
    .set({ reference, submittedAt: now, updatedAt: now })
    .where(eq(cardApplications.id, id));
}

/**
 * The issued card, the completed application and its `card_application.completed` event, in
 * one batch; a second completion changes nothing and stores no event.
 */
export async function completeApplication(
  db: Db,
  application: ApplicationRow,
  card: typeof cards.$inferInsert & { id: string },
  now: string,
  event: (completed: ApplicationRow, card: CardRow) => OutboxEvent,
) {
  const completed: ApplicationRow = { ...application, status: "completed", completedAt: now, updatedAt: now };
  await db.batch([
    db.insert(cards).values(card).onConflictDoNothing(),
    db
      .update(cardApplications)
      .set({ status: "completed", completedAt: now, updatedAt: now })
      .where(
        and(
          eq(cardApplications.id, application.id),
          eq(cardApplications.status, "in_progress"),
          sql`exists (select 1 from ${cards} where ${cards.applicationId} = ${application.id})`,
        ),
      ),
    insertEventIfChanged(db, event(completed, cardRowOf(card)), {
      table: cardApplications,
      idColumn: cardApplications.id,
      id: application.id,
    }),
  ]);
}

/** A row as stored from the values inserted: what the columns without a value hold. */
function cardRowOf(card: typeof cards.$inferInsert & { id: string }): CardRow {
  return {
    applicationId: null,
    attachmentId: null,
    type: null,
    currency: null,
    phoneNumber: null,
    blockReason: null,
    blockKey: null,
    blockedAt: null,
    ...card,
  };
}

function applicationRowOf(row: typeof cardApplications.$inferInsert & { id: string }): ApplicationRow {
  return { reference: null, submittedAt: null, completedAt: null, ...row };
}

// ----------------------------------------------------------------------------- cards

export async function findCard(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(cards)
    .where(and(eq(cards.id, id), eq(cards.partnerId, partnerId)));
  return row;
}

export async function findCardBy(db: Db, column: "applicationId" | "attachmentId", id: string) {
  const [row] = await db.select().from(cards).where(eq(cards[column], id));
  return row;
}

export async function cardRefAttached(db: Db, cardRef: string): Promise<boolean> {
  const [row] = await db.select({ id: cards.id }).from(cards).where(eq(cards.cardRef, cardRef));
  return row !== undefined;
}

/** A page of the partner's cards, newest first (`limit + 1` rows to tell whether there is more). */
export function listCardRows(
  db: Db,
  partnerId: string,
  opts: { status?: string; startingAfter?: string; limit: number },
) {
  const page = newestFirst(cards, partnerId, opts, whenGiven(cards.status, opts.status as CardRow["status"]));
  return db.select().from(cards).where(page.where).orderBy(page.orderBy).limit(page.limit);
}

/**
 * Blocks an active card, with its `card.blocked` event in the same batch; undefined when it
 * was not active (then nothing changed and no event is stored).
 */
export async function blockCardRow(
  db: Db,
  row: CardRow,
  block: { reason: BlockReason; key: string; now: string },
  event: (blocked: CardRow) => OutboxEvent,
): Promise<CardRow | undefined> {
  const change = {
    status: "blocked" as const,
    blockReason: block.reason,
    blockKey: block.key,
    blockedAt: block.now,
    updatedAt: block.now,
  };
  const [updated] = await db.batch([
    db
      .update(cards)
      .set(change)
      .where(and(eq(cards.id, row.id), eq(cards.status, "active")))
      .returning(),
    insertEventIfChanged(db, event({ ...row, ...change }), { table: cards, idColumn: cards.id, id: row.id }),
  ]);
  return updated[0];
}

// ----------------------------------------------------------------------- attachments

export async function findAttachment(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(cardAttachments)
    .where(and(eq(cardAttachments.id, id), eq(cardAttachments.partnerId, partnerId)));
  return row;
}

export async function findAttachmentByKey(db: Db, partnerId: string, key: string) {
  const [row] = await db
    .select()
    .from(cardAttachments)
    .where(and(eq(cardAttachments.partnerId, partnerId), eq(cardAttachments.idempotencyKey, key)));
  return row;
}

/** Live codes of this card and phone number that have expired stop holding the 1007 lock. */
export async function expireLiveCodes(db: Db, cardRef: string, phoneNumber: string, now: string) {
  await db
    .update(cardAttachments)
    .set({ status: "expired", updatedAt: now })
    .where(
      and(
        eq(cardAttachments.cardRef, cardRef),
        eq(cardAttachments.phoneNumber, phoneNumber),
        inArray(cardAttachments.status, ["pending", "exhausted"]),
        lte(cardAttachments.expiresAt, now),
      ),
    );
}

/** Inserts a pending attachment; false when another live code of the card and phone number holds the lock. */
export async function insertAttachment(db: Db, row: typeof cardAttachments.$inferInsert): Promise<boolean> {
  try {
    await db.insert(cardAttachments).values(row);
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** A new code for an attachment whose SMS may not have gone out; false when another live code holds the lock. */
export async function renewAttachment(
  db: Db,
  id: string,
  renewal: { codeHash: string; expiresAt: string; now: string },
): Promise<boolean> {
  try {
    await db
      .update(cardAttachments)
      .set({ ...renewal, status: "pending", attempts: 0, updatedAt: renewal.now })
      .where(eq(cardAttachments.id, id));
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

export async function setAttachmentStatus(db: Db, id: string, status: AttachmentStatus, now: string) {
  await db.update(cardAttachments).set({ status, updatedAt: now }).where(eq(cardAttachments.id, id));
}

/** Counts a wrong code on a pending attachment, atomically; the last allowed one spends it. */
export async function recordWrongCode(db: Db, id: string, maxAttempts: number, now: string) {
  const [row] = await db
    .update(cardAttachments)
    .set({
      attempts: sql`${cardAttachments.attempts} + 1`,
      status: sql`case when ${cardAttachments.attempts} + 1 >= ${maxAttempts} then 'exhausted' else 'pending' end`,
      updatedAt: now,
    })
    .where(and(eq(cardAttachments.id, id), eq(cardAttachments.status, "pending")))
    .returning({ attempts: cardAttachments.attempts });
  return row?.attempts;
}

/**
 * Claims a pending, unexpired attachment for the confirm with this key: one confirm wins,
 * however many run at once. Undefined when it was not pending or has expired.
 */
export async function claimAttachment(db: Db, id: string, confirm: { key: string; now: string }) {
  const [row] = await db
    .update(cardAttachments)
    .set({ status: "attached", confirmKey: confirm.key, updatedAt: confirm.now })
    .where(
      and(
        eq(cardAttachments.id, id),
        eq(cardAttachments.status, "pending"),
        gt(cardAttachments.expiresAt, confirm.now),
      ),
    )
    .returning();
  return row;
}

/**
 * Inserts a card, with its event in the same batch, unless its application, attachment or
 * card system id has one already (then neither is written).
 */
export async function insertCard(
  db: Db,
  card: typeof cards.$inferInsert & { id: string },
  event: (card: CardRow) => OutboxEvent,
) {
  await db.batch([
    db.insert(cards).values(card).onConflictDoNothing(),
    insertEventIfChanged(db, event(cardRowOf(card)), { table: cards, idColumn: cards.id, id: card.id }),
  ]);
}
