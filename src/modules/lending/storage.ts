import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { index, integer, type SQLiteColumn, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { newestFirst } from "../../platform/db/pages";
import { insertEventIfChanged, type OutboxEvent } from "../../platform/events/outbox";
import type { Currency } from "../../platform/lib/money";

// ---------------------------------------------------------------------------- lending
/**
 * Taken by the scoring system, not decided: the condition of the `loan_applications_under_review`
 * partial index, one fragment for the index and its query so the two never drift apart.
 */
const underReview = (t: { status: SQLiteColumn; scoringReference: SQLiteColumn }) =>
  sql`${t.status} = 'in_progress' AND ${t.scoringReference} IS NOT NULL`;

/**
 * A micro-credit application: the applicant as the partner sent it, the scoring decision
 * and, when approved, the offer. One per (partner, Idempotency-Key), so a retried create
 * resumes the same application instead of scoring the customer twice.
 */
export const loanApplications = sqliteTable(
  "loan_applications",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    status: text("status", {
      enum: ["in_progress", "approved", "declined", "accepted", "failed"],
    }).notNull(),
    fullName: text("full_name").notNull(),
    documentNumber: text("document_number").notNull(),
    phoneNumber: text("phone_number").notNull(),
    birthDate: text("birth_date").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").$type<Currency>().notNull(),
    termMonths: integer("term_months").notNull(),
    /** The scoring system's reference, once it has taken the application. */
    scoringReference: text("scoring_reference"),
    offerAmount: integer("offer_amount"),
    offerAnnualRateBps: integer("offer_annual_rate_bps"),
    offerTermMonths: integer("offer_term_months"),
    offerMonthlyPayment: integer("offer_monthly_payment"),
    offerTotalRepayable: integer("offer_total_repayable"),
    offerExpiresAt: text("offer_expires_at"),
    /** The bank's code for a declined scoring (1002, 1003). */
    declineCode: integer("decline_code"),
    /** The code of the last failed attempt to reach the scoring system (1004, 1005, 91). */
    failureCode: integer("failure_code"),
    loanId: text("loan_id"),
    decidedAt: text("decided_at"),
    /** The decision's event (approved or declined), chosen with the decision, published once. */
    eventId: text("event_id"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("loan_applications_partner_key").on(t.partnerId, t.idempotencyKey),
    index("loan_applications_partner").on(t.partnerId, t.id),
    // Only the applications under review, least recently asked first (migration 0026): what the
    // cron's follow-up reads.
    index("loan_applications_under_review").on(t.updatedAt, t.id).where(underReview(t)),
  ],
);

/** A loan made by accepting an offer: one per application, disbursed exactly once. */
export const loans = sqliteTable(
  "loans",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    livemode: integer("livemode", { mode: "boolean" }).notNull(),
    applicationId: text("application_id").notNull(),
    /** The Idempotency-Key of the accepting request: its retry resumes the disbursement. */
    acceptKey: text("accept_key").notNull(),
    status: text("status", { enum: ["accepted", "disbursed"] }).notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").$type<Currency>().notNull(),
    annualRateBps: integer("annual_rate_bps").notNull(),
    termMonths: integer("term_months").notNull(),
    monthlyPayment: integer("monthly_payment").notNull(),
    totalRepayable: integer("total_repayable").notNull(),
    acceptedEventId: text("accepted_event_id").notNull(),
    disbursedEventId: text("disbursed_event_id").notNull(),
    disbursedAt: text("disbursed_at"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("loans_application").on(t.applicationId), index("loans_partner").on(t.partnerId, t.id)],
);

export type LoanApplicationRow = typeof loanApplications.$inferSelect;
export type LoanRow = typeof loans.$inferSelect;

/** Inserts the application unless this partner's key made one already; answers the row either way. */
export async function insertApplication(db: Db, row: typeof loanApplications.$inferInsert) {
  await db.insert(loanApplications).values(row).onConflictDoNothing();
  const [stored] = await db
    .select()
    .from(loanApplications)
    .where(
      and(
        eq(loanApplications.partnerId, row.partnerId),
        eq(loanApplications.idempotencyKey, row.idempotencyKey),
      ),
    )
    .limit(1);
  if (!stored) throw new Error("loan application vanished after insert");
  return stored;
}

/** One of the partner's applications; another partner's id is unknown. */
export async function findApplication(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(loanApplications)
    .where(and(eq(loanApplications.id, id), eq(loanApplications.partnerId, partnerId)))
    .limit(1);
  return row;
}

/**
 * Applications the scoring system took and has not decided (under review), the least recently
 * asked first: each poll that answers "still under review" touches `updated_at`, so a backlog
 * beyond `limit` takes turns. Through the `loan_applications_under_review` index.
 */
export function applicationsUnderReview(db: Db, limit: number) {
  return db
    .select()
    .from(loanApplications)
    .where(underReview(loanApplications))
    .orderBy(asc(loanApplications.updatedAt), asc(loanApplications.id))
    .limit(limit);
}

/**
 * Writes a scoring outcome only while the application still awaits one, so two readers
 * polling at once record one decision; a decision's `event` goes into the event outbox in
 * the same batch, only if this call recorded it. Answers the row as it now stands.
 */
export async function recordScoring(
  db: Db,
  row: LoanApplicationRow,
  set: Partial<typeof loanApplications.$inferInsert>,
  event?: OutboxEvent,
) {
  const update = db
    .update(loanApplications)
    .set({ ...set, updatedAt: set.updatedAt ?? new Date().toISOString() })
    .where(and(eq(loanApplications.id, row.id), inArray(loanApplications.status, ["in_progress", "failed"])));
  if (event) {
    const source = { table: loanApplications, idColumn: loanApplications.id, id: row.id };
    await db.batch([update, insertEventIfChanged(db, event, source)]);
  } else {
    await update;
  }
  return (await findApplication(db, row.partnerId, row.id)) ?? row;
}

/**
 * Accepts an approved, unexpired offer and creates its loan in one D1 transaction: the
 * application moves to `accepted` only if it is still approved and the offer still live,
 * and the loan row is written only if this call made that move. Concurrent accepts of one
 * application make exactly one loan. Resolves whether this call won.
 */
export async function acceptOffer(db: Db, loan: typeof loans.$inferInsert, now: string): Promise<boolean> {
  const d1 = db.$client;
  const [accepted] = await d1.batch([
    d1
      .prepare(
        `UPDATE loan_applications SET status = 'accepted', loan_id = ?, updated_at = ?
         WHERE id = ? AND partner_id = ? AND status = 'approved' AND offer_expires_at > ?`,
      )
      .bind(loan.id, now, loan.applicationId, loan.partnerId, now),
    d1
      .prepare(
        `INSERT INTO loans (id, partner_id, livemode, application_id, accept_key, status, amount, currency,
           annual_rate_bps, term_months, monthly_payment, total_repayable, accepted_event_id,
           disbursed_event_id, created_at, updated_at)
         SELECT ?, ?, ?, ?, ?, 'accepted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
         WHERE EXISTS (SELECT 1 FROM loan_applications WHERE id = ? AND loan_id = ?)`,
      )
      .bind(
        loan.id,
        loan.partnerId,
        loan.livemode ? 1 : 0,
        loan.applicationId,
        loan.acceptKey,
        loan.amount,
        loan.currency,
        loan.annualRateBps,
        loan.termMonths,
        loan.monthlyPayment,
        loan.totalRepayable,
        loan.acceptedEventId,
        loan.disbursedEventId,
        loan.createdAt,
        loan.updatedAt,
        loan.applicationId,
        loan.id,
      ),
  ]);
  return (accepted?.meta.changes ?? 0) > 0;
}

/**
 * A page of the partner's applications, newest first (`limit + 1` rows to tell whether there
 * is more). `status` filters by the status a partner sees at `now`: an approved offer past
 * its expiry counts as `expired`.
 */
export function applicationPage(
  db: Db,
  partnerId: string,
  opts: { status?: string; startingAfter?: string; limit: number; now: string },
) {
  const lapsed = and(eq(loanApplications.status, "approved"), lte(loanApplications.offerExpiresAt, opts.now));
  const statusNow = sql`CASE WHEN ${lapsed} THEN 'expired' ELSE ${loanApplications.status} END`;
  const page = newestFirst(
    loanApplications,
    partnerId,
    opts,
    opts.status !== undefined ? sql`${statusNow} = ${opts.status}` : undefined,
  );
  return db.select().from(loanApplications).where(page.where).orderBy(page.orderBy).limit(page.limit);
}

/** A page of the partner's loans, newest first (`limit + 1` rows to tell whether there is more). */
export function loanPage(db: Db, partnerId: string, opts: { startingAfter?: string; limit: number }) {
  const page = newestFirst(loans, partnerId, opts);
  return db.select().from(loans).where(page.where).orderBy(page.orderBy).limit(page.limit);
}

/** One of the partner's loans; another partner's id is unknown. */
export async function findLoan(db: Db, partnerId: string, id: string) {
  const [row] = await db
    .select()
    .from(loans)
    .where(and(eq(loans.id, id), eq(loans.partnerId, partnerId)))
    .limit(1);
  return row;
}

/**
 * Marks the loan disbursed (once: a second call changes nothing) with `loan.accepted` and
 * `loan.disbursed` put in the event outbox in the same batch, and answers it.
 */
export async function markDisbursed(db: Db, loan: LoanRow, at: string, events: [OutboxEvent, OutboxEvent]) {
  const source = { table: loans, idColumn: loans.id, id: loan.id };
  // Each event statement runs only if the one before it changed a row: all three or none.
  await db.batch([
    db
      .update(loans)
      .set({ status: "disbursed", disbursedAt: at, updatedAt: at })
      .where(and(eq(loans.id, loan.id), eq(loans.status, "accepted"))),
    insertEventIfChanged(db, events[0], source),
    insertEventIfChanged(db, events[1], source),
  ]);
  return (await findLoan(db, loan.partnerId, loan.id)) ?? loan;
}
