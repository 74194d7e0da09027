import { and, eq } from "drizzle-orm";
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { newestFirst } from "../../platform/db/pages";
import type { PorticoEvent } from "../../platform/events/events";
import { insertEventIfChanged } from "../../platform/events/outbox";
import type { KycCheck, KycOutcome } from "./model";

/**
 * KYC verifications (migration 0014): the outcome of each check and nothing the partner
 * sent: no identifier, no name, no date, no document number, not even hashed.
 */
export const kycVerifications = sqliteTable(
  "kyc_verifications",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    /** The creating request's Idempotency-Key: a duplicate finds the first verification. */
    idempotencyKey: text("idempotency_key").notNull(),
    identifierType: text("identifier_type").$type<"account_number" | "phone">().notNull(),
    fullNameCheck: text("full_name_check").$type<KycCheck>().notNull(),
    birthDateCheck: text("birth_date_check").$type<KycCheck>().notNull(),
    documentNumberCheck: text("document_number_check").$type<KycCheck>().notNull(),
    outcome: text("outcome").$type<KycOutcome>().notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("kyc_verifications_partner_key").on(t.partnerId, t.idempotencyKey)],
);

export type KycVerificationRow = typeof kycVerifications.$inferSelect;

/**
 * Stores a verification with its event (in the event outbox), both or neither; a second
 * one under the same key stores nothing and answers the first. `created` tells which happened.
 */
export async function insertVerification(
  db: Db,
  row: KycVerificationRow,
  event: PorticoEvent,
): Promise<{ row: KycVerificationRow; created: boolean }> {
  const [inserted] = await db.batch([
    db.insert(kycVerifications).values(row).onConflictDoNothing().returning(),
    insertEventIfChanged(db, event, { table: kycVerifications, idColumn: kycVerifications.id, id: row.id }),
  ]);
  const created = inserted[0];
  if (created) return { row: created, created: true };
  const [first] = await db
    .select()
    .from(kycVerifications)
    .where(
      and(
        eq(kycVerifications.partnerId, row.partnerId),
        eq(kycVerifications.idempotencyKey, row.idempotencyKey),
      ),
    )
    .limit(1);
  if (!first) throw new Error("verification insert conflicted but none holds its key");
  return { row: first, created: false };
}

/** One of the partner's verifications; another partner's id is unknown. */
export async function findVerification(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(kycVerifications)
    .where(and(eq(kycVerifications.id, id), eq(kycVerifications.partnerId, partnerId)))
    .limit(1);
  return row;
}

/** A page of the partner's verifications, newest first (`limit + 1` rows to tell whether there is more). */
export function verificationPage(db: Db, partnerId: string, opts: { startingAfter?: string; limit: number }) {
  const page = newestFirst(kycVerifications, partnerId, opts);
  return db.select().from(kycVerifications).where(page.where).orderBy(page.orderBy).limit(page.limit);
}
