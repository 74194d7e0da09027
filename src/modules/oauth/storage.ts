import { and, eq, gt, isNull } from "drizzle-orm";
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";

// ---------------------------------------------------------------------------- tables
/**
 * Authorization codes (RFC 6749 §4.1), found by the SHA-256 of the code: what the customer's
 * authorisation of a consent hands the partner's client to exchange, once, within minutes.
 */
export const oauthCodes = sqliteTable("oauth_codes", {
  codeHash: text("code_hash").primaryKey(),
  partnerId: text("partner_id").notNull(),
  clientId: text("client_id").notNull(),
  consentId: text("consent_id").notNull(),
  customerRef: text("customer_ref").notNull(),
  redirectUri: text("redirect_uri").notNull(),
  scope: text("scope").notNull(),
  /** The PKCE S256 challenge the pushed request carried. */
  codeChallenge: text("code_challenge").notNull(),
  /** The DPoP key the pushed request bound the code to (RFC 9449 §10), if any. */
  dpopJkt: text("dpop_jkt"),
  nonce: text("nonce"),
  expiresAt: text("expires_at").notNull(),
  usedAt: text("used_at"),
  /** The grant the exchange made: a second use of the code revokes it (RFC 6749 §4.1.2). */
  grantId: text("grant_id"),
  createdAt: text("created_at").notNull(),
});

/**
 * The partner's registered OAuth client (one per partner, every consumer key of it): how it
 * authenticates without a secret and where a customer is sent back to.
 */
export const oauthClients = sqliteTable("oauth_clients", {
  partnerId: text("partner_id").primaryKey(),
  /** Public keys only (`{ keys: [...] }`), for private_key_jwt; or `jwksUri`, never both. */
  jwks: text("jwks", { mode: "json" }).$type<{ keys: Record<string, unknown>[] }>(),
  jwksUri: text("jwks_uri"),
  /** tls_client_auth (RFC 8705 §2.1): the certificate subject DN the edge must have verified… */
  tlsClientAuthSubjectDn: text("tls_client_auth_subject_dn"),
  /** …or the certificate itself, by the lower-case hex SHA-256 of its DER. */
  tlsClientCertificateSha256: text("tls_client_certificate_sha256"),
  /** Exact URIs (no pattern, no wildcard) a customer may be redirected to after authorisation. */
  redirectUris: text("redirect_uris", { mode: "json" }).$type<string[]>().notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export type ClientRegistration = typeof oauthClients.$inferSelect;

export type CodeRow = typeof oauthCodes.$inferSelect;

// ---------------------------------------------------------------------------- queries
export async function insertCode(db: Db, row: CodeRow): Promise<void> {
  await db.insert(oauthCodes).values(row);
}

/**
 * Marks the code used, once: the row when this call was the first use before its expiry;
 * undefined for an unknown, expired or already used code (a race between two exchanges has one winner).
 */
export async function consumeCode(db: Db, codeHash: string, now: string): Promise<CodeRow | undefined> {
  const [row] = await db
    .update(oauthCodes)
    .set({ usedAt: now })
    .where(and(eq(oauthCodes.codeHash, codeHash), isNull(oauthCodes.usedAt), gt(oauthCodes.expiresAt, now)))
    .returning();
  return row;
}

export async function findCode(db: Db, codeHash: string): Promise<CodeRow | undefined> {
  const [row] = await db.select().from(oauthCodes).where(eq(oauthCodes.codeHash, codeHash)).limit(1);
  return row;
}

/** Records the grant an exchange made, so a replayed code can revoke it. */
export async function setCodeGrant(db: Db, codeHash: string, grantId: string): Promise<void> {
  await db.update(oauthCodes).set({ grantId }).where(eq(oauthCodes.codeHash, codeHash));
}

export async function findClientRegistration(
  db: Db,
  partnerId: string,
): Promise<ClientRegistration | undefined> {
  const [row] = await db.select().from(oauthClients).where(eq(oauthClients.partnerId, partnerId)).limit(1);
  return row;
}

/** Writes the partner's registration whole (created on first write). */
export async function saveClientRegistration(
  db: Db,
  row: Omit<ClientRegistration, "createdAt" | "updatedAt">,
  now = new Date().toISOString(),
): Promise<ClientRegistration> {
  const [saved] = await db
    .insert(oauthClients)
    .values({ ...row, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: oauthClients.partnerId,
      set: {
        jwks: row.jwks,
        jwksUri: row.jwksUri,
        tlsClientAuthSubjectDn: row.tlsClientAuthSubjectDn,
        tlsClientCertificateSha256: row.tlsClientCertificateSha256,
        redirectUris: row.redirectUris,
        updatedAt: now,
      },
    })
    .returning();
  if (!saved) throw new Error(`client registration of ${row.partnerId} not saved`);
  return saved;
}

// ---------------------------------------------------------------------------- pruning
/**
 * The tables `oauth.prune` deletes from, in this order, each by its key once `expires_at` is
 * past. A pushed request still named by a session waits for the session (sessions go first).
 */
export const PRUNED_TABLES = {
  oauth_authorisation_sessions: { key: "id_hash", unreferenced: "" },
  oauth_par_requests: {
    key: "request_hash",
    unreferenced: "AND request_hash NOT IN (SELECT request_hash FROM oauth_authorisation_sessions)",
  },
  oauth_codes: { key: "code_hash", unreferenced: "" },
  oauth_refresh_tokens: { key: "token_hash", unreferenced: "" },
  oauth_grant_access_tokens: { key: "jti", unreferenced: "" },
  oauth_revoked_tokens: { key: "jti", unreferenced: "" },
} as const;

export type PrunedTable = keyof typeof PRUNED_TABLES;

/** Deletes up to `limit` rows of `table` whose `expires_at` is before `before` (ISO), the oldest first. */
export async function pruneExpired(
  db: Db,
  table: PrunedTable,
  before: string,
  limit: number,
): Promise<number> {
  const { key, unreferenced } = PRUNED_TABLES[table];
  const result = await db.$client
    .prepare(
      `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE expires_at < ?1 ${unreferenced} ORDER BY expires_at LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
  return result.meta.changes ?? 0;
}
