import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import type { AccessIdentity } from "./access";
import type { Role } from "./model";
import {
  findIdentity,
  type IdentityRow,
  insertBootstrapAdmin,
  listIdentityRows,
  rememberSubject,
  upsertIdentity,
} from "./storage";

export interface IdentityView {
  identity: string;
  object: "admin_identity";
  role: Role;
  status: "active" | "disabled";
  created_by: string;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
}

export const identityView = (row: IdentityRow): IdentityView => ({
  identity: row.identity,
  object: "admin_identity",
  role: row.role,
  status: row.disabledAt ? "disabled" : "active",
  created_by: row.createdBy,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
  disabled_at: row.disabledAt,
});

/**
 * The role D1 holds for a verified identity, read on every call (a demotion or a disabling bites
 * at once); null when it has none or is disabled. The configured first admin
 * (`ADMIN_BOOTSTRAP_EMAIL`) is made admin on its first call while no active admin exists.
 */
export async function roleOf(
  db: Db,
  config: Config,
  who: AccessIdentity,
): Promise<{ role: Role | null; bootstrapped: boolean }> {
  const row = await findIdentity(db, who.email);
  if (row) {
    if (row.disabledAt) return { role: null, bootstrapped: false };
    if (row.subject !== who.sub) await rememberSubject(db, who.email, who.sub);
    return { role: row.role, bootstrapped: false };
  }
  if (config.ADMIN_BOOTSTRAP_EMAIL !== who.email) return { role: null, bootstrapped: false };
  const made = await insertBootstrapAdmin(db, who.email, who.sub);
  return made ? { role: "admin", bootstrapped: true } : { role: null, bootstrapped: false };
}

export async function listIdentities(db: Db): Promise<IdentityView[]> {
  return (await listIdentityRows(db)).map(identityView);
}

export async function getIdentity(db: Db, identity: string) {
  const row = await findIdentity(db, identity);
  return row ? identityView(row) : undefined;
}

/** Grants, changes or disables an identity's role; never leaves the platform without an active admin. */
export async function setIdentity(
  db: Db,
  change: { identity: string; role: Role; disabled: boolean; by: string },
): Promise<{ before: IdentityView | null; after: IdentityView }> {
  const before = await getIdentity(db, change.identity);
  const saved = await upsertIdentity(db, change);
  if (!saved) throw new ApiError("last_admin");
  return { before: before ?? null, after: identityView(saved) };
}
