import type { Db } from "../../platform/db/client";
import { uuidv7 } from "../../platform/lib/ids";
import { type Currency, isCurrency, MAX_AMOUNT_MINOR } from "../../platform/lib/money";
import {
  accountBalance,
  balancesOf,
  entriesOf,
  findEntry,
  insertEntry,
  insertGuardedEntry,
  postingsOf,
} from "./storage";

/**
 * The chart of accounts. Partner balances are liabilities of the bank (credit-normal);
 * clearing accounts are assets (debit-normal); fees are revenue (credit-normal).
 */
export const ACCOUNT_CODES = {
  partner_available: "credit",
  partner_pending: "credit",
  partner_reserved: "credit",
  fee_revenue: "credit",
  card_clearing: "debit",
  bank_clearing: "debit",
  payout_clearing: "debit",
  /** Micro-credit lent out and not yet repaid (lending). */
  loans_receivable: "debit",
  /** The bank's position in each currency from partners' conversions (FX). */
  fx_position: "debit",
  /** What partners owe the bank on issued invoices (docs/invoices.md); owner = the partner. */
  partner_receivable: "debit",
  /** Tax invoiced and owed onwards (docs/invoices.md). */
  tax_payable: "credit",
  /** The partner's money held while a dispute is open (docs/disputes.md); owner = the partner. */
  partner_disputed: "credit",
} as const satisfies Record<string, "debit" | "credit">;

export type AccountCode = keyof typeof ACCOUNT_CODES;
export const PLATFORM = "platform";

export interface Line {
  /** A partner id, or PLATFORM for the bank's own accounts. */
  owner: string;
  code: AccountCode;
  direction: "debit" | "credit";
  amount: number;
}

export interface EntryInput {
  /** The business object the entry is about (a payment, refund or payout id). */
  reference: string;
  /** The business event (capture, refund, payout_hold…): with the reference, posts once. */
  kind: string;
  currency: Currency;
  partnerId: string | null;
  description?: string;
  lines: Line[];
}

/** A programming error: ledger input is built by services, never taken from a request as is. */
export class LedgerError extends Error {
  override name = "LedgerError";
}

const accountId = (owner: string, code: string, currency: string) => `${owner}:${code}:${currency}`;

/** Every line a positive integer, at least one debit and one credit, debits equal to credits. */
export function validateEntry(input: EntryInput): number {
  if (!isCurrency(input.currency)) throw new LedgerError(`unknown currency ${input.currency}`);
  if (!input.reference || !input.kind) throw new LedgerError("reference and kind are required");
  let debits = 0;
  let credits = 0;
  for (const line of input.lines) {
    if (!Number.isSafeInteger(line.amount) || line.amount <= 0 || line.amount > MAX_AMOUNT_MINOR) {
      throw new LedgerError(`line amount must be a positive integer in minor units, got ${line.amount}`);
    }
    if (!(line.code in ACCOUNT_CODES)) throw new LedgerError(`unknown account ${line.code}`);
    if (line.direction === "debit") debits += line.amount;
    else credits += line.amount;
  }
  if (debits === 0 || debits !== credits)
    throw new LedgerError(`unbalanced entry: debits ${debits}, credits ${credits}`);
  return debits;
}

/**
 * The rows of an entry: its accounts (created on first use), the entry and its postings. Exported
 * for a module that writes an entry inside its own batch (invoicing), with its own statements.
 */
export function rowsOf(input: EntryInput) {
  const amount = validateEntry(input);
  const entryId = uuidv7();
  const accounts = new Map(
    input.lines.map((l) => [
      accountId(l.owner, l.code, input.currency),
      {
        id: accountId(l.owner, l.code, input.currency),
        owner: l.owner,
        code: l.code,
        currency: input.currency,
        normalBalance: ACCOUNT_CODES[l.code],
      },
    ]),
  );
  const entry = {
    id: entryId,
    reference: input.reference,
    kind: input.kind,
    currency: input.currency,
    partnerId: input.partnerId,
    amount,
    description: input.description ?? null,
  };
  const lines = input.lines.map((l) => ({
    id: uuidv7(),
    entryId,
    accountId: accountId(l.owner, l.code, input.currency),
    direction: l.direction,
    amount: l.amount,
    currency: input.currency,
  }));
  return { entryId, accounts: [...accounts.values()], entry, lines };
}

/** The entry already posted for this business event, when the insert hit the (reference, kind) key. */
async function alreadyPosted(db: Db, input: EntryInput, err: unknown) {
  return String(err).includes("UNIQUE constraint failed: journal_entries.reference")
    ? await findEntry(db, input.reference, input.kind)
    : undefined;
}

/**
 * Posts a balanced entry exactly once per (reference, kind). A repeat of the same event
 * returns the entry already posted and writes nothing.
 */
export async function postEntry(db: Db, input: EntryInput): Promise<{ entryId: string; created: boolean }> {
  const { entryId, accounts, entry, lines } = rowsOf(input);
  try {
    await insertEntry(db, accounts, entry, lines);
    return { entryId, created: true };
  } catch (err) {
    const existing = await alreadyPosted(db, input, err);
    if (existing) return { entryId: existing.id, created: false };
    throw err;
  }
}

export type GuardedPosting =
  | { ok: true; entryId: string; created: boolean }
  | { ok: false; available: number };

/**
 * Posts an entry that takes money out of one of the partner's accounts (a payout hold)
 * only if that account holds at least `atLeast` at the moment of writing, atomically in
 * D1, so concurrent guarded entries can never overdraw it. Exactly once per (reference,
 * kind) like `postEntry`: a repeat returns the entry already posted, whatever the balance now.
 */
export async function postGuardedEntry(
  db: Db,
  input: EntryInput,
  guard: { owner: string; code: AccountCode; atLeast: number },
): Promise<GuardedPosting> {
  const { entryId, accounts, entry, lines } = rowsOf(input);
  const guarded = { accountId: accountId(guard.owner, guard.code, input.currency), atLeast: guard.atLeast };
  try {
    if (await insertGuardedEntry(db, accounts, entry, lines, guarded)) {
      return { ok: true, entryId, created: true };
    }
  } catch (err) {
    const existing = await alreadyPosted(db, input, err);
    if (existing) return { ok: true, entryId: existing.id, created: false };
    throw err;
  }
  // Refused by the guard, or the event had posted before (the guard is checked before the unique key).
  const existing = await findEntry(db, input.reference, input.kind);
  if (existing) return { ok: true, entryId: existing.id, created: false };
  return { ok: false, available: await accountBalance(db, guarded.accountId) };
}

export interface BalanceAmount {
  currency: string;
  amount: number;
}

/** Available, pending and reserved per currency, from the partner's ledger accounts. */
export async function partnerBalance(db: Db, partnerId: string) {
  const rows = await balancesOf(db, partnerId, ["partner_available", "partner_pending", "partner_reserved"]);
  const pick = (code: AccountCode): BalanceAmount[] =>
    rows.filter((r) => r.code === code).map((r) => ({ currency: r.currency, amount: Number(r.balance) }));
  return {
    available: pick("partner_available"),
    pending: pick("partner_pending"),
    reserved: pick("partner_reserved"),
  };
}

export interface EntryView {
  id: string;
  object: "ledger_entry";
  reference: string;
  kind: string;
  currency: string;
  amount: number;
  description: string | null;
  created_at: string;
  postings: { account: string; direction: "debit" | "credit"; amount: number }[];
}

/** The partner's own entries with the postings on its own accounts, newest first. */
export async function listPartnerEntries(
  db: Db,
  partnerId: string,
  opts: { reference?: string; startingAfter?: string; limit: number },
): Promise<{ data: EntryView[]; has_more: boolean }> {
  const rows = await entriesOf(db, partnerId, opts);
  const page = rows.slice(0, opts.limit);
  const lines = await postingsOf(
    db,
    page.map((e) => e.id),
    partnerId,
  );
  return {
    data: page.map((e) => ({
      id: e.id,
      object: "ledger_entry",
      reference: e.reference,
      kind: e.kind,
      currency: e.currency,
      amount: e.amount,
      description: e.description,
      created_at: e.createdAt,
      postings: lines
        .filter((l) => l.posting.entryId === e.id)
        .map((l) => ({ account: l.account.code, direction: l.posting.direction, amount: l.posting.amount })),
    })),
    has_more: rows.length > opts.limit,
  };
}
