import type { Db } from "../../platform/db/client";
import { uuidv7 } from "../../platform/lib/ids";
import type { SettledMovement } from "./connector/types";

// What a run compares a report with: our books (the ledger's capture and refund entries, the
// payment projection and the refunds index) and, for the sandbox acquirer, the payment objects'
// events. Read-only queries over other modules' tables, by their primary keys and indexes.

/** The UUID v7 bounds of [start, end): ids made in that time sort between them (entries, events). */
const idRange = (start: number, end: number) => [
  uuidv7(start, new Uint8Array(16)),
  uuidv7(end, new Uint8Array(16)),
];

const ids = (values: readonly string[]) => JSON.stringify([...new Set(values)]);

export interface BookedEntry {
  reference: string;
  kind: "capture" | "refund";
  currency: string;
  amount: number;
}

/** The ledger's entries of this kind for these references (payment ids for captures, refund ids for refunds). */
export async function entriesFor(db: Db, kind: "capture" | "refund", references: readonly string[]) {
  if (references.length === 0) return new Map<string, BookedEntry>();
  const { results } = await db.$client
    .prepare(
      `SELECT reference, kind, currency, amount FROM journal_entries
       WHERE kind = ? AND reference IN (SELECT value FROM json_each(?))`,
    )
    .bind(kind, ids(references))
    .all<BookedEntry>();
  return new Map(results.map((r) => [r.reference, r]));
}

export interface PaymentView {
  id: string;
  status: string;
  currency: string;
  provider: string | null;
  providerReference: string | null;
  amountCaptured: number;
  amountRefunded: number;
}

interface PaymentRow {
  id: string;
  status: string;
  currency: string;
  snapshot: string | null;
}

const paymentView = (row: PaymentRow): PaymentView => {
  const s = (row.snapshot ? JSON.parse(row.snapshot) : {}) as Record<string, unknown>;
  return {
    id: row.id,
    status: row.status,
    currency: row.currency,
    provider: typeof s.provider === "string" ? s.provider : null,
    providerReference: typeof s.provider_reference === "string" ? s.provider_reference : null,
    amountCaptured: typeof s.amount_captured === "number" ? s.amount_captured : 0,
    amountRefunded: typeof s.amount_refunded === "number" ? s.amount_refunded : 0,
  };
};

/** The payment projection's rows for these ids. */
export async function paymentsFor(db: Db, paymentIds: readonly string[]) {
  if (paymentIds.length === 0) return new Map<string, PaymentView>();
  const { results } = await db.$client
    .prepare(
      "SELECT id, status, currency, snapshot FROM payments WHERE id IN (SELECT value FROM json_each(?))",
    )
    .bind(ids(paymentIds))
    .all<PaymentRow>();
  return new Map(results.map((r) => [r.id, paymentView(r)]));
}

/** Which payment each of these refunds belongs to (the refunds index). */
export async function refundsFor(db: Db, refundIds: readonly string[]) {
  if (refundIds.length === 0) return new Map<string, string>();
  const { results } = await db.$client
    .prepare("SELECT id, payment_id FROM refunds WHERE id IN (SELECT value FROM json_each(?))")
    .bind(ids(refundIds))
    .all<{ id: string; payment_id: string }>();
  return new Map(results.map((r) => [r.id, r.payment_id]));
}

export interface BookedMovement extends BookedEntry {
  paymentId: string;
  refundId: string | null;
}

/**
 * Our books for a provider and day: the capture and refund entries the ledger posted in
 * [start, end) (entry ids are UUID v7 of their posting, so the day is a range of the key) for
 * payments of that provider.
 */
export async function bookedOn(db: Db, provider: string, start: number, end: number) {
  const [from, to] = idRange(start, end);
  const { results } = await db.$client
    .prepare(
      `SELECT e.reference, e.kind, e.currency, e.amount,
         COALESCE(pc.id, pr.id) AS payment_id, r.id AS refund_id
       FROM journal_entries e
       LEFT JOIN payments pc ON e.kind = 'capture' AND pc.id = e.reference
       LEFT JOIN refunds r ON e.kind = 'refund' AND r.id = e.reference
       LEFT JOIN payments pr ON pr.id = r.payment_id
       WHERE e.id >= ? AND e.id < ? AND e.kind IN ('capture', 'refund')
         AND json_extract(COALESCE(pc.snapshot, pr.snapshot), '$.provider') = ?
       ORDER BY e.id`,
    )
    .bind(from, to, provider)
    .all<BookedEntry & { payment_id: string; refund_id: string | null }>();
  return results.map(
    (r): BookedMovement => ({
      reference: r.reference,
      kind: r.kind,
      currency: r.currency,
      amount: r.amount,
      paymentId: r.payment_id,
      refundId: r.refund_id,
    }),
  );
}

export interface StuckCandidate {
  id: string;
  status: string;
  amount: number;
  currency: string;
  updatedAt: string;
  expiresAt: string | null;
}

/**
 * The provider's payments authorized and untouched since before `authorizedBefore`, and those
 * pending or waiting for the customer whose `next_action.expires_at` is before `expiredBefore`
 * (through the partial index `payments_open_by_update`), oldest first.
 */
export async function stuckPayments(
  db: Db,
  provider: string,
  authorizedBefore: string,
  expiredBefore: string,
  limit: number,
) {
  const { results } = await db.$client
    .prepare(
      `SELECT id, status, amount, currency, updated_at,
         json_extract(snapshot, '$.next_action.expires_at') AS expires_at
       FROM payments
       WHERE status IN ('authorized', 'pending', 'requires_action')
         AND json_extract(snapshot, '$.provider') = ?
         AND ((status = 'authorized' AND updated_at < ?)
           OR (status <> 'authorized' AND json_extract(snapshot, '$.next_action.expires_at') < ?))
       ORDER BY updated_at LIMIT ?`,
    )
    .bind(provider, authorizedBefore, expiredBefore, limit)
    .all<{
      id: string;
      status: string;
      amount: number;
      currency: string;
      updated_at: string;
      expires_at: string | null;
    }>();
  return results.map(
    (r): StuckCandidate => ({
      id: r.id,
      status: r.status,
      amount: r.amount,
      currency: r.currency,
      updatedAt: r.updated_at,
      expiresAt: r.expires_at,
    }),
  );
}

/**
 * What an acquirer settled in [start, end), as the payment objects' events tell it: each
 * `payment.captured` (its amount captured) and `refund.succeeded` (its amount) of a payment of
 * `provider`, in the order they happened. Event ids are UUID v7 of the change, so the day is a
 * range of the key.
 */
export async function settledOn(db: Db, provider: string, start: number, end: number) {
  const [from, to] = idRange(start, end);
  const { results } = await db.$client
    .prepare(
      `SELECT e.type, e.data, p.snapshot FROM events e
       JOIN payments p ON p.id = CASE e.type WHEN 'payment.captured' THEN json_extract(e.data, '$.object.id')
         ELSE json_extract(e.data, '$.object.payment_id') END
       WHERE e.id >= ? AND e.id < ? AND e.type IN ('payment.captured', 'refund.succeeded')
         AND json_extract(p.snapshot, '$.provider') = ?
       ORDER BY e.id`,
    )
    .bind(from, to, provider)
    .all<{ type: string; data: string; snapshot: string }>();
  return results.map((r): SettledMovement => {
    const object = (JSON.parse(r.data) as { object: Record<string, unknown> }).object;
    const payment = JSON.parse(r.snapshot) as Record<string, unknown>;
    const capture = r.type === "payment.captured";
    return {
      type: capture ? "capture" : "refund",
      paymentId: String(capture ? object.id : object.payment_id),
      refundId: capture ? null : String(object.id),
      provider,
      providerReference: String(payment.provider_reference ?? ""),
      amount: Number(capture ? object.amount_captured : object.amount),
      currency: String(object.currency),
    };
  });
}
