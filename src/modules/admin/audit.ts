import type { Db } from "../../platform/db/client";
import { uuidv7 } from "../../platform/lib/ids";
import type { Role } from "./model";
import { withoutSecrets } from "./redact";
import { type AuditRow, auditRows, insertAudit } from "./storage";

export interface AuditEntry {
  identity: string;
  role: Role | null;
  action: string;
  target?: string | undefined;
  partnerId?: string | undefined;
  outcome: number;
  before?: unknown;
  after?: unknown;
  reason?: string | undefined;
  requestId: string;
}

/** Records one admin action, refusals included. The diff has its secrets removed first. */
export async function recordAdminAction(db: Db, entry: AuditEntry) {
  await insertAudit(db, auditRow(entry));
}

/** The stored row of an entry: its diff without secrets. */
export function auditRow(entry: AuditEntry): AuditRow {
  const hasDiff = entry.before !== undefined || entry.after !== undefined;
  return {
    id: uuidv7(),
    identity: entry.identity,
    role: entry.role,
    action: entry.action,
    target: entry.target ?? null,
    partnerId: entry.partnerId ?? null,
    outcome: entry.outcome,
    diff: hasDiff
      ? { before: withoutSecrets(entry.before ?? null), after: withoutSecrets(entry.after ?? null) }
      : null,
    reason: entry.reason ?? null,
    requestId: entry.requestId,
    createdAt: new Date().toISOString(),
  };
}

const view = (row: AuditRow) => ({
  id: row.id,
  object: "admin_audit_entry" as const,
  identity: row.identity,
  role: row.role,
  action: row.action,
  target: row.target,
  partner_id: row.partnerId,
  outcome: row.outcome,
  diff: row.diff,
  reason: row.reason,
  request_id: row.requestId,
  created_at: row.createdAt,
});
export type AuditView = ReturnType<typeof view>;

export async function searchAudit(db: Db, filter: Parameters<typeof auditRows>[1]) {
  const rows = await auditRows(db, filter);
  return { data: rows.slice(0, filter.limit).map(view), has_more: rows.length > filter.limit };
}
