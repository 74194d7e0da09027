import type { Currency } from "../../../platform/lib/money";
import { type EntryInput, rowsOf } from "../../ledger/ledger";
import type { InvoiceLine } from "../invoice-line";
import type { InvoiceRow } from "./storage";

/**
 * The raw D1 statements of the batches that issue and pay documents (docs/invoices.md): one batch
 * is one transaction, so a document, its number, its lines, its ledger entry and its event commit
 * together or not at all. Raw SQL because the number is taken from the counter inside the batch
 * and read by the statements after it, which drizzle's builders cannot say.
 */

export type Series = "INV" | "CN";

/** A document's number as the counter's row has it after the take: `INV-2026-000001`. */
const NUMBER_SQL = "? || '-' || ? || '-' || printf('%06d', c.next - 1)";
const COUNTER_WHERE = "c.environment = ? AND c.year = ? AND c.series = ?";

/**
 * Takes the series' next number: the row made at 2 (1 taken) or moved on by one. With `guard`
 * (SQL and its arguments), only when it holds: a document refused by it takes no number.
 */
export function takeNumber(
  d1: D1Database,
  key: { environment: string; year: number; series: Series },
  guard?: { sql: string; args: unknown[] },
) {
  const values = [key.environment, key.year, key.series];
  if (!guard)
    return d1
      .prepare(
        `INSERT INTO invoice_counters (environment, year, series, next) VALUES (?, ?, ?, 2)
         ON CONFLICT (environment, year, series) DO UPDATE SET next = next + 1`,
      )
      .bind(...values);
  return d1
    .prepare(
      `INSERT INTO invoice_counters (environment, year, series, next) SELECT ?, ?, ?, 2 WHERE ${guard.sql}
       ON CONFLICT (environment, year, series) DO UPDATE SET next = next + 1`,
    )
    .bind(...values, ...guard.args);
}

type NewDocument = Omit<InvoiceRow, "number" | "createdAt" | "pdfKey" | "unappliedCredits"> & {
  unappliedCredits: string;
};

const DOCUMENT_COLUMNS: [keyof NewDocument, string][] = [
  ["id", "id"],
  ["partnerId", "partner_id"],
  ["kind", "kind"],
  ["status", "status"],
  ["periodStart", "period_start"],
  ["periodEnd", "period_end"],
  ["planVersion", "plan_version"],
  ["currency", "currency"],
  ["subtotal", "subtotal"],
  ["credited", "credited"],
  ["taxBps", "tax_bps"],
  ["tax", "tax"],
  ["total", "total"],
  ["unappliedCredits", "unapplied_credits"],
  ["unappliedRefundsMinor", "unapplied_refunds_minor"],
  ["usageFrom", "usage_from"],
  ["usageTo", "usage_to"],
  ["creditNoteFor", "credit_note_for"],
  ["reason", "reason"],
  ["settlement", "settlement"],
  ["ledgerEntryId", "ledger_entry_id"],
  ["issuedAt", "issued_at"],
  ["paidAt", "paid_at"],
];

/** The document, numbered from the counter row the take just moved (so it must run after it). */
export function insertDocument(
  d1: D1Database,
  doc: NewDocument,
  key: { environment: string; year: number; series: Series },
  guard?: { sql: string; args: unknown[] },
) {
  const cols = DOCUMENT_COLUMNS.map(([, c]) => c).join(", ");
  const marks = DOCUMENT_COLUMNS.map(() => "?").join(", ");
  return d1
    .prepare(
      `INSERT INTO invoices (${cols}, number)
       SELECT ${marks}, ${NUMBER_SQL} FROM invoice_counters c WHERE ${COUNTER_WHERE}${guard ? ` AND ${guard.sql}` : ""}`,
    )
    .bind(
      ...DOCUMENT_COLUMNS.map(([k]) => doc[k] ?? null),
      key.series,
      // As text: D1 binds a JS number as a real, which would print "2026.0".
      String(key.year),
      key.environment,
      key.year,
      key.series,
      ...(guard?.args ?? []),
    );
}

/** The document's lines, each only when the document was written. */
export function insertLines(d1: D1Database, invoiceId: string, lines: readonly InvoiceLine[]) {
  return lines.map((l, position) =>
    d1
      .prepare(
        `INSERT INTO invoice_lines (invoice_id, position, kind, description, product, tier, quantity, unit_price_minor, unit_price_per, amount)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM invoices WHERE id = ?)`,
      )
      .bind(
        invoiceId,
        position,
        l.kind,
        l.description,
        l.product ?? null,
        l.tier ?? null,
        l.quantity,
        l.unit_price.minor,
        l.unit_price.per,
        l.amount,
        invoiceId,
      ),
  );
}

/** Signed balance of one account, positive on its normal side (as the ledger's guard reads it). */
const BALANCE_OF = `(SELECT COALESCE(SUM(CASE WHEN p.direction = a.normal_balance THEN p.amount ELSE -p.amount END), 0)
  FROM postings p JOIN ledger_accounts a ON a.id = p.account_id WHERE p.account_id = ?)`;

/**
 * A ledger entry (validated and balanced by the ledger's own rules), written only when `when`
 * holds: the document exists, and for a settlement the partner's account still covers it.
 * Once per (reference, kind) as every entry: a repeat fails the batch on the ledger's unique key.
 */
export function entryStatements(
  d1: D1Database,
  input: EntryInput,
  when: { sql: string; args: unknown[] },
): { entryId: string; statements: D1PreparedStatement[] } {
  const { entryId, accounts, entry, lines } = rowsOf(input);
  const statements = [
    ...accounts.map((a) =>
      d1
        .prepare(
          "INSERT INTO ledger_accounts (id, owner, code, currency, normal_balance) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(a.id, a.owner, a.code, a.currency, a.normalBalance),
    ),
    d1
      .prepare(
        `INSERT INTO journal_entries (id, reference, kind, currency, partner_id, amount, description)
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${when.sql}`,
      )
      .bind(
        entry.id,
        entry.reference,
        entry.kind,
        entry.currency,
        entry.partnerId ?? null,
        entry.amount,
        entry.description ?? null,
        ...when.args,
      ),
    ...lines.map((p) =>
      d1
        .prepare(
          `INSERT INTO postings (id, entry_id, account_id, direction, amount, currency)
           SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM journal_entries WHERE id = ?)`,
        )
        .bind(p.id, p.entryId, p.accountId, p.direction, p.amount, p.currency, p.entryId),
    ),
  ];
  return { entryId, statements };
}

export const documentExists = (id: string) => ({
  sql: "EXISTS (SELECT 1 FROM invoices WHERE id = ?)",
  args: [id],
});

/** The document exists and the partner's available balance in `currency` covers `amount`, inside the batch. */
export const availableCovers = (
  invoiceId: string,
  partnerId: string,
  currency: Currency,
  amount: number,
) => ({
  sql: `EXISTS (SELECT 1 FROM invoices WHERE id = ?) AND ${BALANCE_OF} >= ?`,
  args: [invoiceId, `${partnerId}:partner_available:${currency}`, amount] as unknown[],
});

/** Marks the document paid when its payment entry was written in this batch. */
export const markPaidIfPosted = (d1: D1Database, invoiceId: string, paymentEntryId: string, at: string) =>
  d1
    .prepare(
      `UPDATE invoices SET status = 'paid', paid_at = ?
       WHERE id = ? AND status = 'issued' AND EXISTS (SELECT 1 FROM journal_entries WHERE id = ?)`,
    )
    .bind(at, invoiceId, paymentEntryId);

/**
 * The document's event, its payload the view with the number the batch took filled in; only when
 * the document exists (and, with `paid`, is paid).
 */
export function insertDocumentEvent(
  d1: D1Database,
  event: { id: string; type: string; partnerId: string; livemode: boolean; createdAt: string },
  invoiceId: string,
  object: Record<string, unknown>,
  paid = false,
) {
  return d1
    .prepare(
      `INSERT INTO events (id, partner_id, type, livemode, data, created_at)
       SELECT ?, ?, ?, ?, json_set(?, '$.object.number', number), ? FROM invoices
       WHERE id = ?${paid ? " AND status = 'paid'" : ""}`,
    )
    .bind(
      event.id,
      event.partnerId,
      event.type,
      event.livemode ? 1 : 0,
      JSON.stringify({ object }),
      event.createdAt,
      invoiceId,
    );
}
