/**
 * The admin API's vocabulary (docs/admin.md): the platform team's roles, ranked, and the
 * change requests that need a maker and a checker.
 */
export const ROLES = ["viewer", "operator", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, approver: 2, admin: 3 };

/** Whether `held` is `required` or a higher role: each role may do what the ones below it may. */
export const roleAtLeast = (held: Role, required: Role) => RANK[held] >= RANK[required];

/** What a change request changes when it is approved; each kind has its rules in approvals.ts. */
export const CHANGE_KINDS = ["contract_change", "reactivation", "production_access", "rate_plan"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_STATUSES = ["pending", "applied", "rejected", "expired"] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/** Who proposed or decided: the identity and the role it held then. */
export interface Actor {
  identity: string;
  role: Role;
}
