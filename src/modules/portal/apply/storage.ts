import { and, eq, isNull, sql } from "drizzle-orm";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../platform/db/client";

/** A registrant's portal session (migration 0032): found by the SHA-256 of the cookie, which is never stored. */
export const applicantSessions = sqliteTable(
  "portal_applicant_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    registrationId: text("registration_id").notNull(),
    csrfToken: text("csrf_token").notNull(),
    /** The API's onboarding session token, sealed under the data key, bound to this row. */
    tokenSealed: text("token_sealed").notNull(),
    createdAt: text("created_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("portal_applicant_sessions_registration").on(t.registrationId, t.createdAt)],
);

export type ApplicantSessionRow = typeof applicantSessions.$inferSelect;

export async function insertApplicantSession(db: Db, row: ApplicantSessionRow) {
  await db.insert(applicantSessions).values(row);
}

export async function findApplicantSession(db: Db, idHash: string): Promise<ApplicantSessionRow | undefined> {
  const [row] = await db
    .select()
    .from(applicantSessions)
    .where(eq(applicantSessions.idHash, idHash))
    .limit(1);
  return row;
}

/** Seen now: written at most once a minute per session. */
export async function touchApplicantSession(db: Db, idHash: string, now: string) {
  const minuteAgo = new Date(Date.parse(now) - 60_000).toISOString();
  await db
    .update(applicantSessions)
    .set({ lastSeenAt: now })
    .where(and(eq(applicantSessions.idHash, idHash), sql`${applicantSessions.lastSeenAt} < ${minuteAgo}`));
}

export async function revokeApplicantSession(db: Db, idHash: string, now: string) {
  await db
    .update(applicantSessions)
    .set({ revokedAt: now })
    .where(and(eq(applicantSessions.idHash, idHash), isNull(applicantSessions.revokedAt)));
}
