import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import type { EventType } from "../../platform/events/events";
import { sendPending } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import type { Logger } from "../../platform/lib/logger";
import type { Payment } from "../payments/model";
import {
  closingEntry,
  type Dispute,
  type DisputeReason,
  type DisputeStatus,
  type Evidence,
  type EvidenceTextField,
  emptyEvidence,
  openingEntry,
} from "./model";
import {
  entryStatements,
  eventStatement,
  insertDispute,
  notificationStatement,
  updateDispute,
} from "./statements";
import {
  allDisputeRows,
  type DisputeRow,
  disputeFeeOf,
  disputeRows,
  disputeView,
  findDispute,
  findDisputeById,
  findDisputeOfPayment,
  overdueDisputes,
} from "./storage";

/** What the dispute services need: D1, the events queue (to send what a change stored) and a logger. */
export interface DisputeDeps {
  db: Db;
  events?: Queue<{ eventId: string }>;
  log: Pick<Logger, "warn">;
}

/** An acquirer's notification that causes a change: recorded with it, once. */
export interface NotificationRef {
  id: string;
  provider: string;
  type: string;
}

/** A notification id seen before: the change it caused is not made again. */
export class ReplayedNotification extends Error {
  override name = "ReplayedNotification";
}

const isUnique = (err: unknown, what: string) => String(err).includes(`UNIQUE constraint failed: ${what}`);

/** Runs a change's batch and sends its event; false when its condition refused it (nothing written). */
async function commit(deps: DisputeDeps, statements: D1PreparedStatement[], eventId: string) {
  const results = await deps.db.$client.batch(statements);
  if ((results[0]?.meta.changes ?? 0) === 0) return false;
  if (deps.events) await sendPending(deps.db, deps.events, [eventId], deps.log);
  return true;
}

export interface OpenDispute {
  payment: Payment;
  partnerId: string;
  amount?: number | undefined;
  reason: DisputeReason;
  /** The acquirer that notified it (default: the payment's). */
  provider?: string | undefined;
  providerDisputeReference?: string | undefined;
  evidenceDueBy: string;
  now: string;
  notification?: NotificationRef;
}

/**
 * Opens a dispute on a captured payment: at most what is captured and not refunded, one per
 * payment. One batch: the dispute, its opening entry (the hold and the contract's fee) and
 * `dispute.created`.
 */
export async function openDispute(deps: DisputeDeps, input: OpenDispute): Promise<Dispute> {
  const { payment } = input;
  const disputable = payment.amount_captured - payment.amount_refunded;
  if (disputable <= 0)
    throw new ApiError("invalid_state_transition", {
      operation: "dispute",
      object: "payment",
      status: payment.status,
    });
  const amount = input.amount ?? disputable;
  if (amount > disputable)
    throw new ApiError(
      "amount_exceeds",
      { amount, limit: `disputable ${disputable}` },
      { field: "params.amount" },
    );
  const id = uuidv7();
  const row: DisputeRow = {
    id,
    partnerId: input.partnerId,
    paymentId: payment.id,
    provider: input.provider ?? payment.provider,
    providerDisputeReference: input.providerDisputeReference ?? `sbx_dp_${id.replace(/-/g, "")}`,
    amount,
    currency: payment.currency,
    fee: await disputeFeeOf(deps.db, input.partnerId),
    reason: input.reason,
    status: "needs_response",
    evidence: emptyEvidence(),
    evidenceDueBy: input.evidenceDueBy,
    evidenceSubmittedAt: null,
    livemode: payment.livemode,
    transitionId: uuidv7(),
    createdAt: input.now,
    updatedAt: input.now,
    closedAt: null,
  };
  const dispute = disputeView(row);
  const d1 = deps.db.$client;
  const event = eventStatement(d1, "dispute.created", dispute, row);
  const statements = [
    insertDispute(d1, row),
    ...entryStatements(d1, openingEntry(dispute, input.partnerId), row),
    event.statement,
  ];
  if (input.notification)
    statements.push(
      notificationStatement(d1, { ...input.notification, disputeId: id, receivedAt: input.now }),
    );
  try {
    await commit(deps, statements, event.id);
  } catch (err) {
    if (isUnique(err, "acquirer_notifications")) throw new ReplayedNotification();
    if (isUnique(err, "disputes")) {
      const existing = await findDisputeOfPayment(deps.db, payment.id);
      throw new ApiError("payment_already_disputed", {
        payment_id: payment.id,
        dispute_id: existing?.id ?? "unknown",
      });
    }
    throw err;
  }
  return dispute;
}

/** One of the partner's disputes; another partner's id answers as an unknown one. */
export async function getDispute(db: Db, partnerId: string, id: string): Promise<DisputeRow> {
  const row = await findDispute(db, partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `dispute ${id}` });
  return row;
}

interface Change {
  operation: string;
  /** The statuses the change leaves from; any other is 409, code 60. */
  from: readonly DisputeStatus[];
  /** The row after the change, from the row as read. */
  apply(row: DisputeRow, now: string): Omit<DisputeRow, "transitionId" | "updatedAt">;
  event?: EventType;
  entry?: "won" | "lost" | "accepted";
  notification?: NotificationRef;
}

const MAX_RACES = 5;

/**
 * Applies a change to a dispute as read, under the condition that nothing changed it meanwhile
 * (its status and transition id); a change that lost a race is tried again on the new state.
 * Its entry and event are in the same batch.
 */
export async function changeDispute(
  deps: DisputeDeps,
  first: DisputeRow,
  change: Change,
  now: string,
): Promise<DisputeRow> {
  let row: DisputeRow | undefined = first;
  for (let attempt = 0; row && attempt < MAX_RACES; attempt++) {
    if (!change.from.includes(row.status))
      throw new ApiError("invalid_state_transition", {
        operation: change.operation,
        object: "dispute",
        status: row.status,
      });
    const to: DisputeRow = { ...change.apply(row, now), transitionId: uuidv7(), updatedAt: now };
    const d1 = deps.db.$client;
    const statements = [updateDispute(d1, row, to)];
    if (change.entry)
      statements.push(...entryStatements(d1, closingEntry(disputeView(to), to.partnerId, change.entry), to));
    let eventId = "";
    if (change.event) {
      const event = eventStatement(d1, change.event, disputeView(to), to);
      statements.push(event.statement);
      eventId = event.id;
    }
    if (change.notification)
      statements.push(
        notificationStatement(d1, { ...change.notification, disputeId: to.id, receivedAt: now }),
      );
    try {
      if (await commit(deps, statements, eventId)) return to;
    } catch (err) {
      if (isUnique(err, "acquirer_notifications")) throw new ReplayedNotification();
      throw err;
    }
    row = await findDisputeById(deps.db, first.id);
  }
  throw new ApiError("invalid_state_transition", {
    operation: change.operation,
    object: "dispute",
    status: row?.status ?? first.status,
  });
}

export type EvidencePatch = Partial<Record<EvidenceTextField, string | null>>;

const hasEvidence = (e: Evidence) =>
  e.documents.length > 0 ||
  Object.entries(e).some(([k, v]) => k !== "documents" && typeof v === "string" && v.length > 0);

/**
 * Updates the evidence's text fields (null clears one) while the dispute needs a response; with
 * `submit`, sends it to the acquirer: `under_review` and `dispute.updated`, and no more changes.
 */
export async function updateEvidence(
  deps: DisputeDeps,
  partnerId: string,
  id: string,
  patch: EvidencePatch,
  submit: boolean,
  now: string,
): Promise<Dispute> {
  const row = await getDispute(deps.db, partnerId, id);
  const merged = (r: DisputeRow): Evidence => ({ ...r.evidence, ...patch });
  if (submit && row.status === "needs_response" && !hasEvidence(merged(row)))
    throw new ApiError("dispute_evidence_empty");
  const changed = await changeDispute(
    deps,
    row,
    {
      operation: submit ? "submit evidence for" : "update the evidence of",
      from: ["needs_response"],
      apply: (r, at) => ({
        ...r,
        evidence: merged(r),
        ...(submit ? { status: "under_review" as const, evidenceSubmittedAt: at } : {}),
      }),
      ...(submit ? { event: "dispute.updated" as const } : {}),
    },
    now,
  );
  return disputeView(changed);
}

/** The partner concedes: the held amount goes to the cardholder's bank; `dispute.closed`. */
export async function acceptDispute(deps: DisputeDeps, partnerId: string, id: string, now: string) {
  const row = await getDispute(deps.db, partnerId, id);
  return disputeView(await closeDispute(deps, row, "accepted", ["needs_response"], now));
}

/** The acquirer's (or the sandbox's, or time's) decision: won returns the hold, lost keeps it gone. */
export function closeDispute(
  deps: DisputeDeps,
  row: DisputeRow,
  outcome: "won" | "lost" | "accepted",
  from: readonly DisputeStatus[],
  now: string,
  notification?: NotificationRef,
) {
  return changeDispute(
    deps,
    row,
    {
      operation: outcome === "accepted" ? "accept" : `close as ${outcome}`,
      from,
      apply: (r, at) => ({ ...r, status: outcome, closedAt: at }),
      event: "dispute.closed",
      entry: outcome,
      ...(notification ? { notification } : {}),
    },
    now,
  );
}

/** The partner's disputes, newest first, by status or payment. */
export async function listDisputes(
  db: Db,
  partnerId: string,
  opts: { status?: string; paymentId?: string; startingAfter?: string; limit: number },
): Promise<{ data: Dispute[]; has_more: boolean }> {
  const rows = await disputeRows(db, partnerId, opts);
  return { data: rows.slice(0, opts.limit).map(disputeView), has_more: rows.length > opts.limit };
}

/**
 * Disputes still in `needs_response` past `evidence_due_by` are lost (the cron job): the acquirer
 * decides against a merchant who did not answer in time. Each on its own; one another change
 * moved first is left alone.
 */
export async function expireOverdue(deps: DisputeDeps, now: number, limit: number) {
  const at = new Date(now).toISOString();
  const rows = await overdueDisputes(deps.db, at, limit);
  let lost = 0;
  let failed = 0;
  for (const row of rows) {
    try {
      await closeDispute(deps, row, "lost", ["needs_response"], at);
      lost += 1;
    } catch (err) {
      if (!(err instanceof ApiError)) failed += 1;
      deps.log.warn("dispute expiry skipped", {
        dispute_id: row.id,
        error: err instanceof Error ? err.name : "unknown",
      });
    }
  }
  return { due: rows.length, lost, failed };
}

/** One of the partner's disputes, as the API shows it. */
export const readDispute = async (db: Db, partnerId: string, id: string): Promise<Dispute> =>
  disputeView(await getDispute(db, partnerId, id));

/** Every partner's disputes for the platform team, newest first, by status or partner. */
export async function listAllDisputes(
  db: Db,
  opts: { status?: string; partnerId?: string; startingAfter?: string; limit: number },
): Promise<{ data: (Dispute & { partner_id: string })[]; has_more: boolean }> {
  const rows = await allDisputeRows(db, opts);
  return {
    data: rows.slice(0, opts.limit).map((r) => ({ ...disputeView(r), partner_id: r.partnerId })),
    has_more: rows.length > opts.limit,
  };
}
