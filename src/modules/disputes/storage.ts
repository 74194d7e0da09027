import { and, asc, desc, eq, lt, lte, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { newestFirst, whenGiven } from "../../platform/db/pages";
import type { Currency } from "../../platform/lib/money";
import { partnerContracts } from "../partners/storage";
import { payments } from "../payments/storage";
import type { Dispute, DisputeReason, DisputeStatus, Evidence } from "./model";

// ---------------------------------------------------------------------------- tables
/**
 * Disputes (migration 0043): the state lives here. Every change writes a fresh `transition_id`
 * under a condition on the one it read, so two changes never both apply, and the ledger entry and
 * event of a change are written only when the row carries its transition id (transitions.ts).
 */
export const disputes = sqliteTable(
  "disputes",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    paymentId: text("payment_id").notNull(),
    provider: text("provider").notNull(),
    providerDisputeReference: text("provider_dispute_reference").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").$type<Currency>().notNull(),
    fee: integer("fee").notNull(),
    reason: text("reason").$type<DisputeReason>().notNull(),
    status: text("status").$type<DisputeStatus>().notNull(),
    evidence: text("evidence", { mode: "json" }).$type<Evidence>().notNull(),
    evidenceDueBy: text("evidence_due_by").notNull(),
    evidenceSubmittedAt: text("evidence_submitted_at"),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    transitionId: text("transition_id").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    closedAt: text("closed_at"),
  },
  (t) => [
    uniqueIndex("disputes_payment").on(t.paymentId),
    uniqueIndex("disputes_provider_reference").on(t.provider, t.providerDisputeReference),
    index("disputes_partner").on(t.partnerId, t.id),
    index("disputes_partner_status").on(t.partnerId, t.status, t.id),
    index("disputes_due").on(t.status, t.evidenceDueBy),
  ],
);

/** The acquirer's notifications, once by id (a replay changes nothing). */
export const acquirerNotifications = sqliteTable("acquirer_notifications", {
  id: text("id").primaryKey(),
  provider: text("provider").notNull(),
  type: text("type").notNull(),
  disputeId: text("dispute_id"),
  receivedAt: text("received_at").notNull(),
});

export type DisputeRow = typeof disputes.$inferSelect;

// --------------------------------------------------------------------------- queries

/** The resource a row is. */
export const disputeView = (r: DisputeRow): Dispute => ({
  id: r.id,
  object: "dispute",
  payment_id: r.paymentId,
  amount: r.amount,
  currency: r.currency,
  fee: r.fee,
  reason: r.reason,
  status: r.status,
  provider: r.provider,
  provider_dispute_reference: r.providerDisputeReference,
  evidence: r.evidence,
  evidence_due_by: r.evidenceDueBy,
  evidence_submitted_at: r.evidenceSubmittedAt,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  closed_at: r.closedAt,
  livemode: r.livemode,
});

/** One dispute of the partner's; another partner's id is unknown. */
export async function findDispute(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(disputes)
    .where(and(eq(disputes.id, id), eq(disputes.partnerId, partnerId)))
    .limit(1);
  return row;
}

export async function findDisputeById(db: Db, id: string) {
  const [row] = await db.select().from(disputes).where(eq(disputes.id, id)).limit(1);
  return row;
}

export async function findDisputeByReference(db: Db, provider: string, reference: string) {
  const [row] = await db
    .select()
    .from(disputes)
    .where(and(eq(disputes.provider, provider), eq(disputes.providerDisputeReference, reference)))
    .limit(1);
  return row;
}

export async function findDisputeOfPayment(db: Db, paymentId: string) {
  const [row] = await db.select().from(disputes).where(eq(disputes.paymentId, paymentId)).limit(1);
  return row;
}

/** A page of the partner's disputes, newest first (`limit + 1` rows). */
export function disputeRows(
  db: Db,
  partnerId: string,
  opts: { status?: string; paymentId?: string; startingAfter?: string; limit: number },
) {
  const page = newestFirst(
    disputes,
    partnerId,
    opts,
    whenGiven(disputes.status, opts.status),
    whenGiven(disputes.paymentId, opts.paymentId),
  );
  return db.select().from(disputes).where(page.where).orderBy(page.orderBy).limit(page.limit);
}

/** Every partner's disputes for the platform team, newest first (`limit + 1` rows). */
export function allDisputeRows(
  db: Db,
  opts: { status?: string; partnerId?: string; startingAfter?: string; limit: number },
) {
  return db
    .select()
    .from(disputes)
    .where(
      and(
        whenGiven(disputes.status, opts.status),
        whenGiven(disputes.partnerId, opts.partnerId),
        opts.startingAfter !== undefined ? lt(disputes.id, opts.startingAfter) : undefined,
      ),
    )
    .orderBy(desc(disputes.id))
    .limit(opts.limit + 1);
}

/** Disputes still waiting for evidence whose due date has passed, oldest due first. */
export function overdueDisputes(db: Db, now: string, limit: number) {
  return db
    .select()
    .from(disputes)
    .where(and(eq(disputes.status, "needs_response"), lte(disputes.evidenceDueBy, now)))
    .orderBy(asc(disputes.evidenceDueBy))
    .limit(limit);
}

/** The payment an acquirer's reference names (the index of migration 0043), with its owner. */
export async function findPaymentByProviderReference(db: Db, provider: string, reference: string) {
  const [row] = await db
    .select({ id: payments.id, partnerId: payments.partnerId })
    .from(payments)
    .where(
      and(
        sql`json_extract(${payments.snapshot}, '$.provider') = ${provider}`,
        sql`json_extract(${payments.snapshot}, '$.provider_reference') = ${reference}`,
      ),
    )
    .limit(2);
  return row;
}

/** What the partner's contract charges per dispute, in the minor unit of the disputed currency. */
export async function disputeFeeOf(db: Db, partnerId: string): Promise<number> {
  const [row] = await db
    .select({ fee: partnerContracts.disputeFeeMinor })
    .from(partnerContracts)
    .where(eq(partnerContracts.partnerId, partnerId))
    .limit(1);
  return row?.fee ?? 0;
}

/** The dispute a notification already applied changed, when its id was seen before. */
export async function notificationDispute(db: Db, id: string) {
  const [row] = await db
    .select({ disputeId: acquirerNotifications.disputeId })
    .from(acquirerNotifications)
    .where(eq(acquirerNotifications.id, id))
    .limit(1);
  return row?.disputeId ?? undefined;
}
