import type { Db } from "../../platform/db/client";
import type { DeliveryStatus, Transition } from "./model";
import { type AlertEventRow, listEvents } from "./storage";

/** The rules' transitions as the admin API lists them: the sandbox sink and every connector's record. */
export function eventView(row: AlertEventRow) {
  return {
    id: row.id,
    object: "alert_event" as const,
    rule_id: row.ruleId,
    kind: row.kind as Transition,
    value: row.value,
    samples: row.samples,
    threshold: row.threshold,
    window: { from: row.windowFrom, to: row.windowTo },
    connector_type: row.connectorType as "sandbox" | "webhook",
    delivery: {
      status: row.deliveryStatus as DeliveryStatus,
      attempts: row.deliveryAttempts,
      last_error: row.lastError,
      delivered_at: row.deliveredAt,
    },
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    created_at: row.createdAt,
  };
}

export async function listEventViews(
  db: Db,
  opts: { ruleId?: string; startingAfter?: string; limit: number },
) {
  const rows = await listEvents(db, opts);
  return { data: rows.slice(0, opts.limit).map(eventView), has_more: rows.length > opts.limit };
}
