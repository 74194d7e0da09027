import type { EventType } from "../../platform/events/events";
import { uuidv7 } from "../../platform/lib/ids";
import { type EntryInput, rowsOf } from "../ledger/ledger";
import type { Dispute } from "./model";
import type { DisputeRow } from "./storage";

/**
 * The raw D1 statements of a dispute's changes (docs/disputes.md). One batch is one transaction:
 * the dispute's row, its ledger entry and its event commit together or not at all. The row is
 * written under a condition (a new dispute: the unique keys; a change: the status and transition
 * id it read), and the entry and event only when the row carries this change's transition id, so
 * a change refused by its condition writes nothing at all.
 */

/** The condition every dependent statement of a change carries. */
const CARRIES = "EXISTS (SELECT 1 FROM disputes WHERE id = ? AND transition_id = ?)";

export function insertDispute(d1: D1Database, row: DisputeRow) {
  return d1
    .prepare(
      `INSERT INTO disputes (id, partner_id, payment_id, provider, provider_dispute_reference, amount, currency,
         fee, reason, status, evidence, evidence_due_by, evidence_submitted_at, livemode, transition_id,
         created_at, updated_at, closed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      row.id,
      row.partnerId,
      row.paymentId,
      row.provider,
      row.providerDisputeReference,
      row.amount,
      row.currency,
      row.fee,
      row.reason,
      row.status,
      JSON.stringify(row.evidence),
      row.evidenceDueBy,
      row.evidenceSubmittedAt,
      row.livemode ? 1 : 0,
      row.transitionId,
      row.createdAt,
      row.updatedAt,
      row.closedAt,
    );
}

/** Moves the row from what was read (`from`) to `to`; changes nothing when another change came first. */
export function updateDispute(d1: D1Database, from: DisputeRow, to: DisputeRow) {
  return d1
    .prepare(
      `UPDATE disputes SET status = ?, evidence = ?, evidence_submitted_at = ?, transition_id = ?,
         updated_at = ?, closed_at = ?
       WHERE id = ? AND status = ? AND transition_id = ?`,
    )
    .bind(
      to.status,
      JSON.stringify(to.evidence),
      to.evidenceSubmittedAt,
      to.transitionId,
      to.updatedAt,
      to.closedAt,
      from.id,
      from.status,
      from.transitionId,
    );
}

/** The ledger entry (balanced by the ledger's own rules), only with the change. */
export function entryStatements(d1: D1Database, input: EntryInput, to: DisputeRow) {
  const { accounts, entry, lines } = rowsOf(input);
  return [
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
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${CARRIES}`,
      )
      .bind(
        entry.id,
        entry.reference,
        entry.kind,
        entry.currency,
        entry.partnerId ?? null,
        entry.amount,
        entry.description ?? null,
        to.id,
        to.transitionId,
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
}

/** The change's event (its payload the dispute as changed), only with the change. */
export function eventStatement(d1: D1Database, type: EventType, dispute: Dispute, to: DisputeRow) {
  const id = uuidv7();
  const statement = d1
    .prepare(
      `INSERT INTO events (id, partner_id, type, livemode, data, created_at)
       SELECT ?, ?, ?, ?, ?, ? WHERE ${CARRIES}`,
    )
    .bind(
      id,
      to.partnerId,
      type,
      to.livemode ? 1 : 0,
      JSON.stringify({ object: dispute }),
      to.updatedAt,
      to.id,
      to.transitionId,
    );
  return { id, statement };
}

/** The acquirer's notification, recorded once with the change it caused (a replay fails the batch). */
export function notificationStatement(
  d1: D1Database,
  n: { id: string; provider: string; type: string; disputeId: string; receivedAt: string },
) {
  return d1
    .prepare(
      "INSERT INTO acquirer_notifications (id, provider, type, dispute_id, received_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(n.id, n.provider, n.type, n.disputeId, n.receivedAt);
}
