import { and, eq, isNull, sql } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { partnerUsers } from "../partners/storage";

/** Portal sessions (migration 0031): found by the SHA-256 of the cookie, which is never stored. */
export const portalSessions = sqliteTable(
  "portal_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: text("user_id").notNull(),
    partnerId: text("partner_id").notNull(),
    csrfToken: text("csrf_token").notNull(),
    stage: text("stage", { enum: ["password", "full"] }).notNull(),
    createdAt: text("created_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("portal_sessions_user").on(t.userId, t.createdAt)],
);

/** Team invitations: a one-time link, found by the SHA-256 of its token. */
export const portalInvitations = sqliteTable(
  "portal_invitations",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    username: text("username").notNull(),
    role: text("role", { enum: ["owner", "developer", "viewer"] }).notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    acceptedAt: text("accepted_at"),
  },
  (t) => [uniqueIndex("portal_invitations_token").on(t.tokenHash)],
);

export type SessionRow = typeof portalSessions.$inferSelect;
export type UserRow = typeof partnerUsers.$inferSelect;
export type InvitationRow = typeof portalInvitations.$inferSelect;

export async function insertSession(db: Db, row: SessionRow) {
  await db.insert(portalSessions).values(row);
}

/** The session and its user, whatever their state (the caller judges expiry and revocation). */
export async function findSession(db: Db, idHash: string) {
  const [row] = await db
    .select({ session: portalSessions, user: partnerUsers })
    .from(portalSessions)
    .innerJoin(partnerUsers, eq(partnerUsers.id, portalSessions.userId))
    .where(eq(portalSessions.idHash, idHash))
    .limit(1);
  return row;
}

/** Seen now: written at most once a minute per session. */
export async function touchSession(db: Db, idHash: string, now: string) {
  const minuteAgo = new Date(Date.parse(now) - 60_000).toISOString();
  await db
    .update(portalSessions)
    .set({ lastSeenAt: now })
    .where(and(eq(portalSessions.idHash, idHash), sql`${portalSessions.lastSeenAt} < ${minuteAgo}`));
}

/** Ends a session; true when it was live (a second sign-out changes nothing). */
export async function revokeSession(db: Db, idHash: string, now: string): Promise<boolean> {
  const rows = await db
    .update(portalSessions)
    .set({ revokedAt: now })
    .where(and(eq(portalSessions.idHash, idHash), isNull(portalSessions.revokedAt)))
    .returning({ idHash: portalSessions.idHash });
  return rows.length > 0;
}

/** Ends every live session of a user (a password or second-factor change, a removal). */
export async function revokeUserSessions(db: Db, userId: string, now: string) {
  await db
    .update(portalSessions)
    .set({ revokedAt: now })
    .where(and(eq(portalSessions.userId, userId), isNull(portalSessions.revokedAt)));
}

export async function findUserById(db: Db, id: string) {
  const [row] = await db.select().from(partnerUsers).where(eq(partnerUsers.id, id)).limit(1);
  return row;
}

export function listUsers(db: Db, partnerId: string) {
  return db
    .select()
    .from(partnerUsers)
    .where(eq(partnerUsers.partnerId, partnerId))
    .orderBy(partnerUsers.username);
}

/** The enrolment's secret, sealed; only before the second factor is on. */
export async function setPendingTotp(db: Db, userId: string, sealed: string) {
  const rows = await db
    .update(partnerUsers)
    .set({ totpSecret: sealed, updatedAt: new Date().toISOString() })
    .where(and(eq(partnerUsers.id, userId), isNull(partnerUsers.totpEnabledAt)))
    .returning({ id: partnerUsers.id });
  return rows.length > 0;
}

/**
 * Accepts a TOTP time step for the user once: only a step later than the last accepted one
 * passes (a code replayed, or raced by two sign-ins, counts once). `enable` also turns the
 * second factor on (the enrolment's confirming code).
 */
export async function acceptTotpStep(
  db: Db,
  userId: string,
  step: number,
  enable: boolean,
): Promise<boolean> {
  const now = new Date().toISOString();
  const rows = await db
    .update(partnerUsers)
    .set({
      totpLastStep: step,
      ...(enable ? { totpEnabledAt: sql`coalesce(${partnerUsers.totpEnabledAt}, ${now})` } : {}),
      updatedAt: now,
    })
    .where(
      and(
        eq(partnerUsers.id, userId),
        sql`(${partnerUsers.totpLastStep} IS NULL OR ${partnerUsers.totpLastStep} < ${step})`,
      ),
    )
    .returning({ id: partnerUsers.id });
  return rows.length > 0;
}

/** A session never changes stage in place: a new id replaces it (rotation at each step of sign-in). */
export async function replaceSession(db: Db, oldHash: string, row: SessionRow) {
  await db.batch([
    db.update(portalSessions).set({ revokedAt: row.createdAt }).where(eq(portalSessions.idHash, oldHash)),
    db.insert(portalSessions).values(row),
  ]);
}

export async function insertInvitation(db: Db, row: InvitationRow) {
  await db.insert(portalInvitations).values(row);
}

export async function findInvitation(db: Db, tokenHash: string) {
  const [row] = await db
    .select()
    .from(portalInvitations)
    .where(eq(portalInvitations.tokenHash, tokenHash))
    .limit(1);
  return row;
}

export function listInvitations(db: Db, partnerId: string) {
  return db
    .select()
    .from(portalInvitations)
    .where(and(eq(portalInvitations.partnerId, partnerId), isNull(portalInvitations.acceptedAt)))
    .orderBy(portalInvitations.createdAt);
}

/**
 * Accepts an invitation once: marks it and creates the user in one batch. The unique username per
 * partner refuses a second user of that name; the accepted_at guard refuses a second acceptance.
 */
export async function acceptInvitation(
  db: Db,
  invitation: InvitationRow,
  user: typeof partnerUsers.$inferInsert,
  now: string,
): Promise<boolean> {
  const [marked] = await db.batch([
    db
      .update(portalInvitations)
      .set({ acceptedAt: now })
      .where(and(eq(portalInvitations.id, invitation.id), isNull(portalInvitations.acceptedAt)))
      .returning({ id: portalInvitations.id }),
    db.insert(partnerUsers).values(user).onConflictDoNothing(),
  ]);
  return marked.length > 0;
}
