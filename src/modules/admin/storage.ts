import { and, count, desc, eq, gte, inArray, like, lt, lte, max, or, type SQL, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { auditLog, timestamps } from "../../platform/db/schema";
import { type ContractRow, partnerContracts, partnerCredentials, partners } from "../partners/storage";
import { webhookEndpoints } from "../webhooks/storage";
import { CHANGE_KINDS, type ChangeKind, type ChangeStatus, type Role } from "./model";

// ---------------------------------------------------------------------------- tables
/** Who may use the admin API and with which role: one row per Access identity (the email). */
export const adminIdentities = sqliteTable("admin_identities", {
  identity: text("identity").primaryKey(),
  role: text("role", { enum: ["viewer", "operator", "approver", "admin"] }).notNull(),
  /** The Access `sub` last seen for this identity. */
  subject: text("subject"),
  createdBy: text("created_by").notNull(),
  /** Set when the identity may no longer call: it keeps its row for the audit log. */
  disabledAt: text("disabled_at"),
  ...timestamps,
});

/**
 * A sensitive change waiting for its second approver (maker-checker). `change` is what applies
 * when it is approved, `before` what it replaces as the maker saw it.
 */
export const adminChangeRequests = sqliteTable(
  "admin_change_requests",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: CHANGE_KINDS }).notNull(),
    partnerId: text("partner_id").notNull(),
    change: text("change", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    before: text("before", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    reason: text("reason").notNull(),
    status: text("status", { enum: ["pending", "applied", "rejected", "expired"] })
      .notNull()
      .default("pending"),
    maker: text("maker").notNull(),
    makerRole: text("maker_role", { enum: ["viewer", "operator", "approver", "admin"] }).notNull(),
    checker: text("checker"),
    checkerRole: text("checker_role", { enum: ["viewer", "operator", "approver", "admin"] }),
    decisionReason: text("decision_reason"),
    decidedAt: text("decided_at"),
    /** The maker's proposal is the first approval; it lapses at this time. */
    expiresAt: text("expires_at").notNull(),
    ...timestamps,
  },
  (t) => [
    index("admin_change_requests_partner").on(t.partnerId, t.id),
    index("admin_change_requests_status").on(t.status, t.id),
    // The cron's expiry sweep (migration 0029): only what may still expire.
    index("admin_change_requests_pending_expiry").on(t.expiresAt, t.id).where(sql`${t.status} = 'pending'`),
  ],
);

/** Every admin action, refusals included: who, with which role, what, on what, the diff. Append-only. */
export const adminAuditLog = sqliteTable(
  "admin_audit_log",
  {
    id: text("id").primaryKey(),
    identity: text("identity").notNull(),
    role: text("role", { enum: ["viewer", "operator", "approver", "admin"] }),
    action: text("action").notNull(),
    target: text("target"),
    partnerId: text("partner_id"),
    outcome: integer("outcome").notNull(),
    /** `{ before, after }` with secrets removed; null for a read or a refusal. */
    diff: text("diff", { mode: "json" }).$type<{ before: unknown; after: unknown }>(),
    reason: text("reason"),
    requestId: text("request_id").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("admin_audit_log_partner").on(t.partnerId, t.id),
    index("admin_audit_log_identity").on(t.identity, t.id),
  ],
);

export type IdentityRow = typeof adminIdentities.$inferSelect;
export type ChangeRequestRow = typeof adminChangeRequests.$inferSelect;
export type AuditRow = typeof adminAuditLog.$inferSelect;

const now = () => new Date().toISOString();

// ------------------------------------------------------------------------ identities
export async function findIdentity(db: Db, identity: string): Promise<IdentityRow | undefined> {
  const [row] = await db
    .select()
    .from(adminIdentities)
    .where(eq(adminIdentities.identity, identity))
    .limit(1);
  return row;
}

export const listIdentityRows = (db: Db) =>
  db.select().from(adminIdentities).orderBy(adminIdentities.identity);

/** The configured first admin, written only while no active admin exists; undefined otherwise. */
export async function insertBootstrapAdmin(
  db: Db,
  identity: string,
  subject: string,
): Promise<IdentityRow | undefined> {
  const at = now();
  const result = await db.run(sql`
    INSERT INTO admin_identities (identity, role, subject, created_by, disabled_at, created_at, updated_at)
    SELECT ${identity}, 'admin', ${subject}, 'bootstrap', NULL, ${at}, ${at}
    WHERE NOT EXISTS (SELECT 1 FROM admin_identities WHERE role = 'admin' AND disabled_at IS NULL)
    ON CONFLICT (identity) DO NOTHING`);
  return result.meta.changes > 0 ? findIdentity(db, identity) : undefined;
}

export async function rememberSubject(db: Db, identity: string, subject: string) {
  await db
    .update(adminIdentities)
    .set({ subject, updatedAt: now() })
    .where(eq(adminIdentities.identity, identity));
}

/**
 * Creates or changes an identity's role (or disables it). Refused, changing nothing, when it
 * would leave no active admin: the statement's own condition decides, so two concurrent
 * demotions cannot both pass. Undefined when refused.
 */
export async function upsertIdentity(
  db: Db,
  row: { identity: string; role: Role; disabled: boolean; by: string },
): Promise<IdentityRow | undefined> {
  const at = now();
  const keepsAnAdmin =
    row.role === "admin" && !row.disabled
      ? sql`1`
      : sql`EXISTS (SELECT 1 FROM admin_identities WHERE role = 'admin' AND disabled_at IS NULL AND identity <> ${row.identity})`;
  const disabledAt = row.disabled ? sql`coalesce(disabled_at, ${at})` : sql`NULL`;
  const result = await db.run(sql`
    INSERT INTO admin_identities (identity, role, subject, created_by, disabled_at, created_at, updated_at)
    SELECT ${row.identity}, ${row.role}, NULL, ${row.by}, ${row.disabled ? at : null}, ${at}, ${at}
    WHERE ${keepsAnAdmin}
    ON CONFLICT (identity) DO UPDATE SET role = excluded.role, disabled_at = ${disabledAt}, updated_at = excluded.updated_at`);
  return result.meta.changes > 0 ? findIdentity(db, row.identity) : undefined;
}

// -------------------------------------------------------------------------- partners
export interface PartnerFilter {
  query?: string;
  status?: "active" | "suspended" | "offboarded";
  environment?: "sandbox" | "production";
  startingAfter?: string;
  limit: number;
}

/** Partners newest first (ids are UUID v7), `limit + 1` rows, matching a name fragment or an id. */
export function partnerRows(db: Db, f: PartnerFilter) {
  const filters: (SQL | undefined)[] = [
    f.query !== undefined
      ? or(
          like(sql`lower(${partners.name})`, `%${escapeLike(f.query.toLowerCase())}%`),
          eq(partners.id, f.query),
        )
      : undefined,
    f.status !== undefined ? eq(partners.status, f.status) : undefined,
    f.environment !== undefined ? eq(partners.environment, f.environment) : undefined,
    f.startingAfter !== undefined ? lt(partners.id, f.startingAfter) : undefined,
  ];
  return db
    .select({ partner: partners, contract: partnerContracts })
    .from(partners)
    .innerJoin(partnerContracts, eq(partnerContracts.partnerId, partners.id))
    .where(and(...filters))
    .orderBy(desc(partners.id))
    .limit(f.limit + 1);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function credentialsOf(db: Db, partnerId: string) {
  return db
    .select()
    .from(partnerCredentials)
    .where(eq(partnerCredentials.partnerId, partnerId))
    .orderBy(desc(partnerCredentials.id));
}

/** What the gateway already counts for a partner: its audited requests (writes and personal-data reads). */
export async function usageOf(db: Db, partnerId: string, dayStart: string, monthStart: string) {
  const [today, month, endpoints] = await Promise.all([
    db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.partnerId, partnerId), gte(auditLog.createdAt, dayStart))),
    db
      .select({ n: count(), last: max(auditLog.createdAt) })
      .from(auditLog)
      .where(and(eq(auditLog.partnerId, partnerId), gte(auditLog.createdAt, monthStart))),
    db
      .select({ status: webhookEndpoints.status, n: count() })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.partnerId, partnerId))
      .groupBy(webhookEndpoints.status),
  ]);
  return {
    today: today[0]?.n ?? 0,
    last30Days: month[0]?.n ?? 0,
    lastAt: month[0]?.last ?? null,
    endpoints: Object.fromEntries(endpoints.map((e) => [e.status, e.n])) as Record<string, number>,
  };
}

/** Sets a partner's status only from one it is in now; undefined when it was not (nothing changed). */
export async function movePartnerStatus(
  db: Db,
  partnerId: string,
  from: readonly ("active" | "suspended" | "offboarded")[],
  to: "active" | "suspended",
) {
  const [row] = await db
    .update(partners)
    .set({ status: to, updatedAt: now() })
    .where(and(eq(partners.id, partnerId), inArray(partners.status, [...from])))
    .returning();
  return row;
}

/**
 * Offboards a partner in one D1 batch: its status, every credential revoked, every webhook
 * endpoint disabled. Nothing is deleted. Undefined when it was already offboarded.
 */
export async function offboardRows(db: Db, partnerId: string) {
  const at = now();
  const [moved, revoked, disabled] = await db.batch([
    db
      .update(partners)
      .set({ status: "offboarded", updatedAt: at })
      .where(and(eq(partners.id, partnerId), inArray(partners.status, ["active", "suspended"])))
      .returning(),
    db
      .update(partnerCredentials)
      .set({
        status: "revoked",
        revokedAt: sql`coalesce(${partnerCredentials.revokedAt}, ${at})`,
        updatedAt: at,
      })
      .where(
        and(
          eq(partnerCredentials.partnerId, partnerId),
          eq(partnerCredentials.status, "active"),
          sql`EXISTS (SELECT 1 FROM partners WHERE id = ${partnerId} AND status = 'offboarded' AND updated_at = ${at})`,
        ),
      )
      .returning({ id: partnerCredentials.id, consumerKey: partnerCredentials.consumerKey }),
    db
      .update(webhookEndpoints)
      .set({ status: "disabled", disabledReason: "the partner was offboarded", updatedAt: at })
      .where(
        and(
          eq(webhookEndpoints.partnerId, partnerId),
          eq(webhookEndpoints.status, "enabled"),
          sql`EXISTS (SELECT 1 FROM partners WHERE id = ${partnerId} AND status = 'offboarded' AND updated_at = ${at})`,
        ),
      )
      .returning({ id: webhookEndpoints.id }),
  ]);
  if (moved.length === 0) return undefined;
  return { partner: moved[0], revoked, disabled };
}

export type ContractUpdate = Partial<
  Pick<
    ContractRow,
    | "products"
    | "scopes"
    | "tier"
    | "rateLimitPerSecond"
    | "dailyQuota"
    | "dataAccess"
    | "feeBps"
    | "feeFixedMinor"
    | "disputeFeeMinor"
    | "corsOrigins"
    | "ipAllowlist"
    | "webhookDomains"
    | "apiVersion"
    | "securityProfile"
    | "passwordGrant"
  >
>;

/** Writes a contract change unless the partner was offboarded meanwhile; undefined then. */
export async function updateContract(db: Db, partnerId: string, change: ContractUpdate) {
  const [row] = await db
    .update(partnerContracts)
    .set({ ...change, updatedAt: now() })
    .where(
      and(
        eq(partnerContracts.partnerId, partnerId),
        sql`EXISTS (SELECT 1 FROM partners WHERE id = ${partnerId} AND status <> 'offboarded')`,
      ),
    )
    .returning();
  return row;
}

// ------------------------------------------------------------------- change requests
export async function insertChangeRequest(db: Db, row: typeof adminChangeRequests.$inferInsert) {
  const [created] = await db.insert(adminChangeRequests).values(row).returning();
  if (!created) throw new Error("change request insert returned no row");
  return created;
}

export async function findChangeRequest(db: Db, id: string): Promise<ChangeRequestRow | undefined> {
  const [row] = await db.select().from(adminChangeRequests).where(eq(adminChangeRequests.id, id)).limit(1);
  return row;
}

export function changeRequestRows(
  db: Db,
  f: { status?: ChangeStatus; partnerId?: string; kind?: ChangeKind; startingAfter?: string; limit: number },
  at: string,
) {
  // A pending request past its expiry reads (and filters) as expired.
  const status =
    f.status === undefined
      ? undefined
      : f.status === "pending"
        ? and(eq(adminChangeRequests.status, "pending"), sql`${adminChangeRequests.expiresAt} > ${at}`)
        : f.status === "expired"
          ? or(
              eq(adminChangeRequests.status, "expired"),
              and(eq(adminChangeRequests.status, "pending"), lte(adminChangeRequests.expiresAt, at)),
            )
          : eq(adminChangeRequests.status, f.status);
  return db
    .select()
    .from(adminChangeRequests)
    .where(
      and(
        status,
        f.partnerId !== undefined ? eq(adminChangeRequests.partnerId, f.partnerId) : undefined,
        f.kind !== undefined ? eq(adminChangeRequests.kind, f.kind) : undefined,
        f.startingAfter !== undefined ? lt(adminChangeRequests.id, f.startingAfter) : undefined,
      ),
    )
    .orderBy(desc(adminChangeRequests.id))
    .limit(f.limit + 1);
}

/** The condition a decision needs: the request pending, unexpired, and decided by someone other than its maker. */
export const decidable = (id: string, checker: string, at: string, otherThanMaker = true) =>
  otherThanMaker
    ? sql`EXISTS (SELECT 1 FROM admin_change_requests WHERE id = ${id} AND status = 'pending' AND expires_at > ${at} AND maker <> ${checker})`
    : sql`EXISTS (SELECT 1 FROM admin_change_requests WHERE id = ${id} AND status = 'pending' AND expires_at > ${at})`;

type BatchItem = Parameters<Db["batch"]>[0][number];

/**
 * Decides a pending request in one D1 batch. With `apply` (an approval), the change itself runs
 * first, gated on `decidable`, and the decision is written only if it changed a row (`changes()`),
 * so the change applies once or not at all, and of two concurrent decisions exactly one wins.
 * Undefined when nothing was decided.
 */
export async function decideChangeRequest(
  db: Db,
  id: string,
  decision: {
    status: "applied" | "rejected";
    checker: string;
    checkerRole: Role;
    reason: string | null;
    at: string;
  },
  apply?: BatchItem | BatchItem[],
) {
  const decide = db
    .update(adminChangeRequests)
    .set({
      status: decision.status,
      checker: decision.checker,
      checkerRole: decision.checkerRole,
      decisionReason: decision.reason,
      decidedAt: decision.at,
      updatedAt: decision.at,
    })
    .where(
      and(
        eq(adminChangeRequests.id, id),
        // An approval needs someone other than the maker; a rejection may be the maker's withdrawal.
        decidable(id, decision.checker, decision.at, apply !== undefined),
        apply ? sql`changes() > 0` : undefined,
      ),
    )
    .returning();
  if (!apply) {
    const [row] = await decide;
    return row;
  }
  // Several writes: `changes()` reads the last, which the others must precede.
  const writes = Array.isArray(apply) ? apply : [apply];
  const results = await db.batch([...writes, decide] as unknown as Parameters<Db["batch"]>[0]);
  return (results[results.length - 1] as (typeof adminChangeRequests.$inferSelect)[])[0];
}

/** Pending requests past their expiry, the longest expired first (the cron, through the partial index). */
export function expiredPendingRequests(db: Db, at: string, limit: number) {
  return db
    .select()
    .from(adminChangeRequests)
    .where(and(eq(adminChangeRequests.status, "pending"), lte(adminChangeRequests.expiresAt, at)))
    .orderBy(adminChangeRequests.expiresAt, adminChangeRequests.id)
    .limit(limit);
}

/** Marks a pending request past its expiry expired, once: answers whether this call did. */
export async function expireChangeRequest(db: Db, id: string, at: string): Promise<boolean> {
  const rows = await db
    .update(adminChangeRequests)
    .set({ status: "expired", updatedAt: at })
    .where(
      and(
        eq(adminChangeRequests.id, id),
        eq(adminChangeRequests.status, "pending"),
        lte(adminChangeRequests.expiresAt, at),
      ),
    )
    .returning({ id: adminChangeRequests.id });
  return rows.length > 0;
}

/** The contract write of an approved change, gated on its request being decidable (see decideChangeRequest). */
export const contractWriteWhen = (db: Db, partnerId: string, change: ContractUpdate, gate: SQL, at: string) =>
  db
    .update(partnerContracts)
    .set({ ...change, updatedAt: at })
    .where(
      and(
        eq(partnerContracts.partnerId, partnerId),
        gate,
        sql`EXISTS (SELECT 1 FROM partners WHERE id = ${partnerId} AND status <> 'offboarded')`,
      ),
    );

/** The reactivation of an approved request, gated on its request being decidable; only a suspended partner moves. */
export const reactivationWhen = (db: Db, partnerId: string, gate: SQL, at: string) =>
  db
    .update(partners)
    .set({ status: "active", updatedAt: at })
    .where(and(eq(partners.id, partnerId), eq(partners.status, "suspended"), gate));

export async function pendingChangeCount(db: Db, partnerId: string, at: string) {
  const [row] = await db
    .select({ n: count() })
    .from(adminChangeRequests)
    .where(
      and(
        eq(adminChangeRequests.partnerId, partnerId),
        eq(adminChangeRequests.status, "pending"),
        sql`${adminChangeRequests.expiresAt} > ${at}`,
      ),
    );
  return row?.n ?? 0;
}

// ------------------------------------------------------------------------- audit log
/**
 * Expires a pending request past its expiry and writes its audit row in one D1 batch: the row only
 * if the request changed (`changes()` of the update), so neither exists without the other.
 */
export async function expireChangeRequestAudited(db: Db, id: string, at: string, audit: AuditRow) {
  const [expired] = await db.batch([
    db
      .update(adminChangeRequests)
      .set({ status: "expired", updatedAt: at })
      .where(
        and(
          eq(adminChangeRequests.id, id),
          eq(adminChangeRequests.status, "pending"),
          lte(adminChangeRequests.expiresAt, at),
        ),
      )
      .returning({ id: adminChangeRequests.id }),
    db
      .insert(adminAuditLog)
      .select(
        sql`SELECT ${audit.id}, ${audit.identity}, ${audit.role ?? null}, ${audit.action}, ${audit.target ?? null}, ${audit.partnerId ?? null}, ${audit.outcome}, ${audit.diff === null || audit.diff === undefined ? null : JSON.stringify(audit.diff)}, ${audit.reason ?? null}, ${audit.requestId}, ${audit.createdAt} WHERE changes() > 0`,
      ),
  ]);
  return expired.length > 0;
}

export async function insertAudit(db: Db, row: AuditRow) {
  await db.insert(adminAuditLog).values(row);
}

export function auditRows(
  db: Db,
  f: {
    partnerId?: string;
    identity?: string;
    action?: string;
    from?: string;
    to?: string;
    startingAfter?: string;
    limit: number;
  },
) {
  return db
    .select()
    .from(adminAuditLog)
    .where(
      and(
        f.partnerId !== undefined ? eq(adminAuditLog.partnerId, f.partnerId) : undefined,
        f.identity !== undefined ? eq(adminAuditLog.identity, f.identity) : undefined,
        f.action !== undefined ? eq(adminAuditLog.action, f.action) : undefined,
        f.from !== undefined ? gte(adminAuditLog.createdAt, f.from) : undefined,
        f.to !== undefined ? lt(adminAuditLog.createdAt, f.to) : undefined,
        f.startingAfter !== undefined ? lt(adminAuditLog.id, f.startingAfter) : undefined,
      ),
    )
    .orderBy(desc(adminAuditLog.id))
    .limit(f.limit + 1);
}
