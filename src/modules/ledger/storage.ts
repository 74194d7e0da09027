import { and, eq, inArray, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { newestFirst, whenGiven } from "../../platform/db/pages";
import { timestamps } from "../../platform/db/schema";

// ---------------------------------------------------------------------------- tables
// Double-entry and append-only: triggers (migration 0001) refuse UPDATE and DELETE of
// entries and postings. Amounts are integers in the currency's minor unit.
/** An account per owner (a partner id, or "platform"), purpose and currency. */
export const ledgerAccounts = sqliteTable(
  "ledger_accounts",
  {
    /** Deterministic: `<owner>:<code>:<currency>`, so posting never needs a lookup first. */
    id: text("id").primaryKey(),
    owner: text("owner").notNull(),
    code: text("code").notNull(),
    currency: text("currency").notNull(),
    normalBalance: text("normal_balance", { enum: ["debit", "credit"] }).notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("ledger_accounts_owner_code_currency").on(t.owner, t.code, t.currency)],
);

/** One business event's journal entry: posts exactly once per (reference, kind). */
export const journalEntries = sqliteTable(
  "journal_entries",
  {
    id: text("id").primaryKey(),
    reference: text("reference").notNull(),
    kind: text("kind").notNull(),
    currency: text("currency").notNull(),
    /** The partner the entry belongs to, for the partner's own ledger view. */
    partnerId: text("partner_id"),
    /** Sum of the debits, which equals the sum of the credits. */
    amount: integer("amount").notNull(),
    description: text("description"),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    uniqueIndex("journal_entries_reference_kind").on(t.reference, t.kind),
    index("journal_entries_partner").on(t.partnerId, t.id),
  ],
);

export const postings = sqliteTable(
  "postings",
  {
    id: text("id").primaryKey(),
    entryId: text("entry_id")
      .notNull()
      .references(() => journalEntries.id),
    accountId: text("account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    direction: text("direction", { enum: ["debit", "credit"] }).notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("postings_entry").on(t.entryId), index("postings_account").on(t.accountId)],
);

// --------------------------------------------------------------------------- queries

export type AccountRow = typeof ledgerAccounts.$inferInsert;
export type EntryRow = typeof journalEntries.$inferSelect;
export type PostingRow = typeof postings.$inferInsert;

/** Accounts (created if new), the entry and its postings in one D1 batch: all or nothing. */
export async function insertEntry(
  db: Db,
  accounts: AccountRow[],
  entry: typeof journalEntries.$inferInsert,
  lines: PostingRow[],
) {
  const entryInsert = db.insert(journalEntries).values(entry);
  await db.batch([
    entryInsert,
    ...accounts.map((a) => db.insert(ledgerAccounts).values(a).onConflictDoNothing()),
    ...lines.map((p) => db.insert(postings).values(p)),
  ]);
}

/** The account must hold at least this much, on its normal side, when the entry is written. */
export interface BalanceGuard {
  accountId: string;
  atLeast: number;
}

/** Signed balance of one account, positive on its normal side (SQL; binds the account id once). */
const BALANCE_OF = `(
  SELECT COALESCE(SUM(CASE WHEN p.direction = a.normal_balance THEN p.amount ELSE -p.amount END), 0)
  FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
  WHERE p.account_id = ?)`;

/**
 * Like `insertEntry`, but the entry and its postings are written only if the guarded
 * account still holds enough, checked inside the same D1 transaction: concurrent
 * guarded entries can never take it below `atLeast` together. Resolves `true` when the
 * entry was written, `false` when the guard refused (nothing written).
 */
export async function insertGuardedEntry(
  db: Db,
  accounts: AccountRow[],
  entry: typeof journalEntries.$inferInsert,
  lines: PostingRow[],
  guard: BalanceGuard,
): Promise<boolean> {
  const d1 = db.$client;
  const [written] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO journal_entries (id, reference, kind, currency, partner_id, amount, description)
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${BALANCE_OF} >= ?`,
      )
      .bind(
        entry.id,
        entry.reference,
        entry.kind,
        entry.currency,
        entry.partnerId ?? null,
        entry.amount,
        entry.description ?? null,
        guard.accountId,
        guard.atLeast,
      ),
    ...accounts.map((a) =>
      d1
        .prepare(
          "INSERT INTO ledger_accounts (id, owner, code, currency, normal_balance) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(a.id, a.owner, a.code, a.currency, a.normalBalance),
    ),
    ...lines.map((p) =>
      d1
        .prepare(
          `INSERT INTO postings (id, entry_id, account_id, direction, amount, currency)
           SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM journal_entries WHERE id = ?)`,
        )
        .bind(p.id, p.entryId, p.accountId, p.direction, p.amount, p.currency, p.entryId),
    ),
  ]);
  return (written?.meta.changes ?? 0) > 0;
}

/** One account's signed balance (positive on its normal side). */
export async function accountBalance(db: Db, accountId: string): Promise<number> {
  const row = await db.$client
    .prepare(`SELECT ${BALANCE_OF} AS balance`)
    .bind(accountId)
    .first<{ balance: number }>();
  return Number(row?.balance ?? 0);
}

export async function findEntry(db: Db, reference: string, kind: string) {
  const [row] = await db
    .select()
    .from(journalEntries)
    .where(and(eq(journalEntries.reference, reference), eq(journalEntries.kind, kind)))
    .limit(1);
  return row;
}

/** Signed balances (positive on the account's normal side) of an owner's accounts with these codes. */
export function balancesOf(db: Db, owner: string, codes: string[]) {
  return db
    .select({
      code: ledgerAccounts.code,
      currency: ledgerAccounts.currency,
      balance: sql<number>`sum(case when ${postings.direction} = ${ledgerAccounts.normalBalance} then ${postings.amount} else -${postings.amount} end)`,
    })
    .from(postings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, postings.accountId))
    .where(and(eq(ledgerAccounts.owner, owner), inArray(ledgerAccounts.code, codes)))
    .groupBy(ledgerAccounts.code, ledgerAccounts.currency)
    .orderBy(ledgerAccounts.currency);
}

/** A partner's entries, newest first, one page (`limit + 1` rows to tell whether there is more). */
export function entriesOf(
  db: Db,
  partnerId: string,
  opts: { reference?: string; startingAfter?: string; limit: number },
) {
  const page = newestFirst(
    journalEntries,
    partnerId,
    opts,
    whenGiven(journalEntries.reference, opts.reference),
  );
  return db.select().from(journalEntries).where(page.where).orderBy(page.orderBy).limit(page.limit);
}

/** The postings of these entries on one owner's accounts. */
export function postingsOf(db: Db, entryIds: string[], owner: string) {
  if (entryIds.length === 0) return Promise.resolve([]);
  return db
    .select({ posting: postings, account: ledgerAccounts })
    .from(postings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, postings.accountId))
    .where(and(inArray(postings.entryId, entryIds), eq(ledgerAccounts.owner, owner)))
    .orderBy(postings.id);
}

/** Debits minus credits over the whole ledger, per currency: zero everywhere when it balances. */
export function ledgerImbalance(db: Db) {
  return db
    .select({
      currency: postings.currency,
      imbalance: sql<number>`sum(case when ${postings.direction} = 'debit' then ${postings.amount} else -${postings.amount} end)`,
    })
    .from(postings)
    .groupBy(postings.currency);
}
