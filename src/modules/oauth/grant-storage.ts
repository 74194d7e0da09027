import { and, eq, getTableColumns, gt, isNull, type SQL, sql } from "drizzle-orm";
import { type SQLiteTable, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { findCode, oauthCodes } from "./storage";

// ---------------------------------------------------------------------------- grants (migration 0049)
/** What a grant's tokens are bound to: the DPoP key's thumbprint, the certificate's, or nothing. */
export type GrantBinding = { jkt?: string; "x5t#S256"?: string };

/**
 * One code exchange and its refresh chain (docs/oauth-tokens.md): the consent it reads with, the
 * client it was issued to and the key or certificate its tokens are bound to. Revoked as a whole.
 */
export const oauthGrants = sqliteTable("oauth_grants", {
  id: text("id").primaryKey(),
  partnerId: text("partner_id").notNull(),
  clientId: text("client_id").notNull(),
  consentId: text("consent_id").notNull(),
  codeHash: text("code_hash").notNull(),
  scope: text("scope").notNull(),
  cnf: text("cnf", { mode: "json" }).$type<GrantBinding>().notNull(),
  /** The consent's expiry when the grant was made: no refresh token outlives it. */
  expiresAt: text("expires_at").notNull(),
  createdAt: text("created_at").notNull(),
  revokedAt: text("revoked_at"),
  revokedReason: text("revoked_reason"),
});

export type RefreshStatus = "active" | "rotated" | "revoked";

/** Refresh tokens by the SHA-256 of the token: each used once, then `rotated` to the next. */
export const oauthRefreshTokens = sqliteTable("oauth_refresh_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  grantId: text("grant_id").notNull(),
  partnerId: text("partner_id").notNull(),
  status: text("status").$type<RefreshStatus>().notNull(),
  /** The hash of the token this one was exchanged for. */
  replacedBy: text("replaced_by"),
  expiresAt: text("expires_at").notNull(),
  createdAt: text("created_at").notNull(),
  usedAt: text("used_at"),
});

/** The access tokens a grant issued, so revoking the grant revokes them. */
export const oauthGrantAccessTokens = sqliteTable("oauth_grant_access_tokens", {
  jti: text("jti").primaryKey(),
  grantId: text("grant_id").notNull(),
  partnerId: text("partner_id").notNull(),
  expiresAt: text("expires_at").notNull(),
});

/** Access tokens revoked before their expiry (RFC 7009, or with their grant), kept until that expiry. */
export const oauthRevokedTokens = sqliteTable("oauth_revoked_tokens", {
  jti: text("jti").primaryKey(),
  partnerId: text("partner_id").notNull(),
  expiresAt: text("expires_at").notNull(),
  revokedAt: text("revoked_at").notNull(),
});

export type GrantRow = typeof oauthGrants.$inferSelect;
export type RefreshRow = typeof oauthRefreshTokens.$inferSelect;
export type GrantAccessRow = typeof oauthGrantAccessTokens.$inferSelect;

/**
 * Inserts `row` only when `source` has a row matching `where`, as one statement of a batch
 * (INSERT … SELECT): a later write of the batch conditioned on an earlier compare-and-set.
 */
function insertWhere(
  db: Db,
  table: SQLiteTable,
  row: Record<string, unknown>,
  source: SQLiteTable,
  where: SQL,
) {
  const columns = getTableColumns(table);
  const fields = Object.fromEntries(
    Object.entries(row).map(([key, value]) => {
      const column = columns[key];
      if (!column) throw new Error(`no column ${key}`);
      return [key, sql`${value}`.as(column.name)];
    }),
  );
  return db.insert(table).select(db.select(fields).from(source).where(where).limit(1));
}

/**
 * The exchange of a redeemed code, all or nothing: the code names the grant only if no replay got
 * there first (a replay marks it, see `markCodeReplayed`), and the grant, its first refresh token and
 * its first access token are written only then. False: a replay of the code won; nothing was written.
 */
export async function insertGrant(
  db: Db,
  grant: GrantRow,
  refresh: RefreshRow,
  access: GrantAccessRow,
): Promise<boolean> {
  const claimed = and(eq(oauthCodes.codeHash, grant.codeHash), eq(oauthCodes.grantId, grant.id)) as SQL;
  const [won] = await db.batch([
    db
      .update(oauthCodes)
      .set({ grantId: grant.id })
      .where(and(eq(oauthCodes.codeHash, grant.codeHash), isNull(oauthCodes.grantId)))
      .returning({ grantId: oauthCodes.grantId }),
    insertWhere(db, oauthGrants, { ...grant, cnf: JSON.stringify(grant.cnf) }, oauthCodes, claimed),
    insertWhere(db, oauthRefreshTokens, refresh, oauthCodes, claimed),
    insertWhere(db, oauthGrantAccessTokens, access, oauthCodes, claimed),
  ]);
  return won.length === 1;
}

/**
 * A replayed code (RFC 6749 §4.1.2): the grant its first exchange made, if any. When that exchange
 * has not written its grant yet, the code is marked so it never will (`insertGrant` then fails).
 */
export async function markCodeReplayed(db: Db, codeHash: string): Promise<string | undefined> {
  await db
    .update(oauthCodes)
    .set({ grantId: "replayed" })
    .where(and(eq(oauthCodes.codeHash, codeHash), isNull(oauthCodes.grantId)));
  const row = await findCode(db, codeHash);
  return row?.grantId && row.grantId !== "replayed" ? row.grantId : undefined;
}

export async function findGrant(db: Db, id: string): Promise<GrantRow | undefined> {
  const [row] = await db.select().from(oauthGrants).where(eq(oauthGrants.id, id)).limit(1);
  return row;
}

export async function findRefreshToken(db: Db, tokenHash: string): Promise<RefreshRow | undefined> {
  const [row] = await db
    .select()
    .from(oauthRefreshTokens)
    .where(eq(oauthRefreshTokens.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/**
 * Rotates a refresh token, once: a compare-and-set from `active` (unexpired) to `rotated`, with the
 * next token and the new access token written in the same batch only when this call won. Two racing
 * uses have one winner; false for the loser (and for any token not active).
 */
export async function rotateRefreshToken(
  db: Db,
  oldHash: string,
  next: RefreshRow,
  access: GrantAccessRow,
  now: string,
): Promise<boolean> {
  const won = and(
    eq(oauthRefreshTokens.tokenHash, oldHash),
    eq(oauthRefreshTokens.replacedBy, next.tokenHash),
  ) as SQL;
  const [rotated] = await db.batch([
    db
      .update(oauthRefreshTokens)
      .set({ status: "rotated", replacedBy: next.tokenHash, usedAt: now })
      .where(
        and(
          eq(oauthRefreshTokens.tokenHash, oldHash),
          eq(oauthRefreshTokens.status, "active"),
          gt(oauthRefreshTokens.expiresAt, now),
        ),
      )
      .returning({ tokenHash: oauthRefreshTokens.tokenHash }),
    insertWhere(db, oauthRefreshTokens, next, oauthRefreshTokens, won),
    insertWhere(db, oauthGrantAccessTokens, access, oauthRefreshTokens, won),
  ]);
  return rotated.length === 1;
}

/**
 * Revokes a grant whole, in one batch: the grant, every refresh token still active (a rotated one
 * keeps its status, the record of its use), and every
 * unexpired access token it issued (into `oauth_revoked_tokens`). The first reason is kept.
 */
export async function revokeGrant(db: Db, grantId: string, reason: string, now: string): Promise<void> {
  await db.batch([
    db
      .update(oauthGrants)
      .set({ revokedAt: now, revokedReason: reason })
      .where(and(eq(oauthGrants.id, grantId), isNull(oauthGrants.revokedAt))),
    db
      .update(oauthRefreshTokens)
      .set({ status: "revoked" })
      .where(and(eq(oauthRefreshTokens.grantId, grantId), eq(oauthRefreshTokens.status, "active"))),
    db
      .insert(oauthRevokedTokens)
      .select(
        db
          .select({
            jti: oauthGrantAccessTokens.jti,
            partnerId: oauthGrantAccessTokens.partnerId,
            expiresAt: oauthGrantAccessTokens.expiresAt,
            revokedAt: sql<string>`${now}`.as("revoked_at"),
          })
          .from(oauthGrantAccessTokens)
          .where(and(eq(oauthGrantAccessTokens.grantId, grantId), gt(oauthGrantAccessTokens.expiresAt, now))),
      )
      .onConflictDoNothing(),
  ]);
}

/** Revokes one access token until its expiry (idempotent). */
export async function revokeAccessToken(db: Db, row: typeof oauthRevokedTokens.$inferSelect): Promise<void> {
  await db.insert(oauthRevokedTokens).values(row).onConflictDoNothing();
}

export async function isAccessTokenRevoked(db: Db, jti: string): Promise<boolean> {
  const [row] = await db
    .select({ jti: oauthRevokedTokens.jti })
    .from(oauthRevokedTokens)
    .where(eq(oauthRevokedTokens.jti, jti))
    .limit(1);
  return row !== undefined;
}

/** The partner's revoked access tokens not yet expired at `now`: loaded with its profile. */
export async function revokedTokenIds(db: Db, partnerId: string, now: string): Promise<string[]> {
  const rows = await db
    .select({ jti: oauthRevokedTokens.jti })
    .from(oauthRevokedTokens)
    .where(and(eq(oauthRevokedTokens.partnerId, partnerId), gt(oauthRevokedTokens.expiresAt, now)));
  return rows.map((r) => r.jti);
}

/** Whether the grant of a consent-bound token stands: the partner's, for that consent, not revoked. */
export async function grantStands(db: Db, grantId: string, partnerId: string, consentId: string) {
  const [row] = await db
    .select({ id: oauthGrants.id })
    .from(oauthGrants)
    .where(
      and(
        eq(oauthGrants.id, grantId),
        eq(oauthGrants.partnerId, partnerId),
        eq(oauthGrants.consentId, consentId),
        isNull(oauthGrants.revokedAt),
      ),
    )
    .limit(1);
  return row !== undefined;
}
