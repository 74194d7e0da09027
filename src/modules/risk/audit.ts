import type { Db } from "../../platform/db/client";
import { uuidv7 } from "../../platform/lib/ids";
import { type AuditRow, auditPage } from "./storage";

/** Who changed a partner's risk configuration: the partner, its API client and the request. */
export interface Actor {
  partnerId: string;
  clientId: string;
  requestId: string;
}

/** The audit row of one change: `before` is null for a creation, `after` for a deletion. */
export const auditOf = (actor: Actor, action: string, target: string, before: unknown, after: unknown) => ({
  id: uuidv7(),
  partnerId: actor.partnerId,
  clientId: actor.clientId,
  requestId: actor.requestId,
  action,
  target,
  before: before ?? null,
  after: after ?? null,
  createdAt: new Date().toISOString(),
});

const view = (row: AuditRow) => ({
  id: row.id,
  object: "risk_audit_entry" as const,
  action: row.action,
  target: row.target,
  client_id: row.clientId,
  request_id: row.requestId,
  before: row.before ?? null,
  after: row.after ?? null,
  created_at: row.createdAt,
});
export type RiskAuditEntry = ReturnType<typeof view>;

/** The partner's risk audit, newest first. */
export async function listAudit(db: Db, partnerId: string, opts: { startingAfter?: string; limit: number }) {
  const rows = await auditPage(db, partnerId, opts);
  return { data: rows.slice(0, opts.limit).map(view), has_more: rows.length > opts.limit };
}
