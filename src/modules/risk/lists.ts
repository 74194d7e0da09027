import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { formatCidr, parseCidr } from "../../platform/lib/cidr";
import { uuidv7 } from "../../platform/lib/ids";
import { type Actor, auditOf } from "./audit";
import {
  DEFAULT_SETTINGS,
  type Fallback,
  type ListEntry,
  type ListKind,
  type ListType,
  type RiskSettings,
} from "./model";
import {
  countOf,
  deleteListEntry as deleteRow,
  findListEntry,
  insertListEntry,
  type ListRow,
  listEntriesOf,
  listEntryOf,
  putSettings,
  riskListEntries,
  settingsOf,
} from "./storage";

export const MAX_LIST_ENTRIES = 1000;

const entryView = (row: ListRow): ListEntry => ({
  id: row.id,
  object: "risk_list_entry",
  list: row.list,
  type: row.type,
  value: row.value,
  created_at: row.createdAt,
});

export async function listEntries(db: Db, partnerId: string, filter: { list?: ListKind; type?: ListType }) {
  const rows = await listEntriesOf(db, partnerId);
  return rows
    .filter(
      (r) =>
        (filter.list === undefined || r.list === filter.list) &&
        (filter.type === undefined || r.type === filter.type),
    )
    .map(entryView);
}

/** Every entry, for the assessment. */
export const allEntries = async (db: Db, partnerId: string) =>
  (await listEntriesOf(db, partnerId)).map(entryView);

/** Adds a value to a list; the same value again answers the entry already there. `value` is canonical. */
export async function addListEntry(
  db: Db,
  actor: Actor,
  asked: { list: ListKind; type: ListType; value: string },
): Promise<ListEntry> {
  const value = asked.type === "ip" ? formatCidr(parseCidr(asked.value)) : asked.value;
  const params = { ...asked, value };
  const found = await findListEntry(db, actor.partnerId, params.list, params.type, params.value);
  if (found) return entryView(found);
  if ((await countOf(db, riskListEntries, actor.partnerId)) >= MAX_LIST_ENTRIES)
    throw new ApiError("risk_limit_reached", { limit: MAX_LIST_ENTRIES, what: "list entries" });
  const row: ListRow = {
    id: uuidv7(),
    partnerId: actor.partnerId,
    ...params,
    createdAt: new Date().toISOString(),
  };
  const entry = entryView(row);
  await insertListEntry(db, row, auditOf(actor, "risk_list_entry.created", entry.id, null, entry));
  return entry;
}

export async function removeListEntry(db: Db, actor: Actor, id: string) {
  const row = await listEntryOf(db, actor.partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `risk list entry ${id}` });
  await deleteRow(db, row, auditOf(actor, "risk_list_entry.deleted", id, entryView(row), null));
  return { id, object: "risk_list_entry" as const, deleted: true as const };
}

/** The partner's scoring settings (the defaults until it sets its own). */
export async function getSettings(db: Db, partnerId: string): Promise<RiskSettings> {
  const row = await settingsOf(db, partnerId);
  if (!row) return { ...DEFAULT_SETTINGS, updated_at: null };
  return {
    object: "risk_settings",
    scoring_timeout_ms: row.scoringTimeoutMs,
    scoring_fallback: row.scoringFallback,
    updated_at: row.updatedAt,
  };
}

export async function updateSettings(
  db: Db,
  actor: Actor,
  params: { scoring_timeout_ms?: number | undefined; scoring_fallback?: Fallback | undefined },
): Promise<RiskSettings> {
  const before = await getSettings(db, actor.partnerId);
  const after: RiskSettings = {
    object: "risk_settings",
    scoring_timeout_ms: params.scoring_timeout_ms ?? before.scoring_timeout_ms,
    scoring_fallback: params.scoring_fallback ?? before.scoring_fallback,
    updated_at: new Date().toISOString(),
  };
  await putSettings(
    db,
    {
      partnerId: actor.partnerId,
      scoringTimeoutMs: after.scoring_timeout_ms,
      scoringFallback: after.scoring_fallback,
      updatedAt: after.updated_at ?? "",
    },
    auditOf(actor, "risk_settings.updated", actor.partnerId, before, after),
  );
  return after;
}
