import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";

// ---------------------------------------------------------------------------- consent authorisation
/**
 * A pushed authorization request (RFC 9126, migration 0048), found by the SHA-256 of the random
 * part of its `request_uri`: what `/authorize` starts the customer's session from, once.
 */
export const oauthParRequests = sqliteTable("oauth_par_requests", {
  requestHash: text("request_hash").primaryKey(),
  partnerId: text("partner_id").notNull(),
  clientId: text("client_id").notNull(),
  consentId: text("consent_id").notNull(),
  redirectUri: text("redirect_uri").notNull(),
  scope: text("scope").notNull(),
  state: text("state"),
  nonce: text("nonce"),
  codeChallenge: text("code_challenge").notNull(),
  dpopJkt: text("dpop_jkt"),
  expiresAt: text("expires_at").notNull(),
  usedAt: text("used_at"),
  createdAt: text("created_at").notNull(),
});

export type ParRequestRow = typeof oauthParRequests.$inferSelect;

/** Where a customer's authorisation session stands: each step in turn, then ended. */
export type AuthorisationStage = "login" | "sca" | "consent";

/** The customer's way through the bank's pages, found by the SHA-256 of its cookie (migration 0048). */
export const oauthAuthorisationSessions = sqliteTable("oauth_authorisation_sessions", {
  idHash: text("id_hash").primaryKey(),
  requestHash: text("request_hash").notNull(),
  csrfToken: text("csrf_token").notNull(),
  stage: text("stage").$type<AuthorisationStage>().notNull(),
  /** The bank's reference of the customer, once the password was right. */
  customerRef: text("customer_ref"),
  /** The second factor's challenge the customer identity system started. */
  challengeId: text("challenge_id"),
  /** Failed attempts at the current step. */
  attempts: integer("attempts").notNull(),
  expiresAt: text("expires_at").notNull(),
  endedAt: text("ended_at"),
  createdAt: text("created_at").notNull(),
});

export type AuthorisationSessionRow = typeof oauthAuthorisationSessions.$inferSelect;

export async function insertParRequest(db: Db, row: ParRequestRow): Promise<void> {
  await db.insert(oauthParRequests).values(row);
}

/**
 * Marks the pushed request used, once: the row when this call was its first use, by that client,
 * before its expiry; undefined otherwise (RFC 9126 §4: a `request_uri` is used once).
 */
export async function consumeParRequest(
  db: Db,
  requestHash: string,
  clientId: string,
  now: string,
): Promise<ParRequestRow | undefined> {
  const [row] = await db
    .update(oauthParRequests)
    .set({ usedAt: now })
    .where(
      and(
        eq(oauthParRequests.requestHash, requestHash),
        eq(oauthParRequests.clientId, clientId),
        isNull(oauthParRequests.usedAt),
        gt(oauthParRequests.expiresAt, now),
      ),
    )
    .returning();
  return row;
}

export async function findParRequest(db: Db, requestHash: string): Promise<ParRequestRow | undefined> {
  const [row] = await db
    .select()
    .from(oauthParRequests)
    .where(eq(oauthParRequests.requestHash, requestHash))
    .limit(1);
  return row;
}

export async function insertAuthorisationSession(db: Db, row: AuthorisationSessionRow): Promise<void> {
  await db.insert(oauthAuthorisationSessions).values(row);
}

/** A session not ended and not expired at `now`, with the request it authorises. */
export async function findLiveSession(db: Db, idHash: string, now: string) {
  const [row] = await db
    .select({ session: oauthAuthorisationSessions, request: oauthParRequests })
    .from(oauthAuthorisationSessions)
    .innerJoin(oauthParRequests, eq(oauthParRequests.requestHash, oauthAuthorisationSessions.requestHash))
    .where(and(eq(oauthAuthorisationSessions.idHash, idHash), isNull(oauthAuthorisationSessions.endedAt)))
    .limit(1);
  if (!row) return undefined;
  return { ...row, expired: row.session.expiresAt <= now };
}

/** Moves a live session on from `from` (a compare-and-set: of two racing answers one wins), attempts reset. */
export async function advanceSession(
  db: Db,
  idHash: string,
  from: AuthorisationStage,
  change: { stage: AuthorisationStage; customerRef?: string; challengeId?: string | null },
): Promise<boolean> {
  const rows = await db
    .update(oauthAuthorisationSessions)
    .set({ ...change, attempts: 0 })
    .where(
      and(
        eq(oauthAuthorisationSessions.idHash, idHash),
        eq(oauthAuthorisationSessions.stage, from),
        isNull(oauthAuthorisationSessions.endedAt),
      ),
    )
    .returning({ idHash: oauthAuthorisationSessions.idHash });
  return rows.length > 0;
}

/** Counts a failed attempt at the session's current step: how many there now are (0: the session is gone). */
export async function countFailedAttempt(db: Db, idHash: string, stage: AuthorisationStage): Promise<number> {
  const [row] = await db
    .update(oauthAuthorisationSessions)
    .set({ attempts: sql`${oauthAuthorisationSessions.attempts} + 1` })
    .where(
      and(
        eq(oauthAuthorisationSessions.idHash, idHash),
        eq(oauthAuthorisationSessions.stage, stage),
        isNull(oauthAuthorisationSessions.endedAt),
      ),
    )
    .returning({ attempts: oauthAuthorisationSessions.attempts });
  return row?.attempts ?? 0;
}

/** Ends the session, once: true when this call ended it (the one that answers the partner). */
export async function endSession(db: Db, idHash: string, now: string): Promise<boolean> {
  const rows = await db
    .update(oauthAuthorisationSessions)
    .set({ endedAt: now })
    .where(and(eq(oauthAuthorisationSessions.idHash, idHash), isNull(oauthAuthorisationSessions.endedAt)))
    .returning({ idHash: oauthAuthorisationSessions.idHash });
  return rows.length > 0;
}
