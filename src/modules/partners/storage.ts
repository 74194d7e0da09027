import { and, desc, eq, sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { timestamps } from "../../platform/db/schema";
import { CURRENT_VERSION, FIRST_VERSION } from "../../platform/versions/registry";

// ---------------------------------------------------------------------------- tables
export const partners = sqliteTable("partners", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  environment: text("environment", { enum: ["sandbox", "production"] }).notNull(),
  status: text("status", { enum: ["active", "suspended", "offboarded"] })
    .notNull()
    .default("active"),
  ...timestamps,
});

/** What a partner may do: products, scopes, tier and limits, data access and price terms. */
export const partnerContracts = sqliteTable("partner_contracts", {
  partnerId: text("partner_id")
    .primaryKey()
    .references(() => partners.id),
  products: text("products", { mode: "json" }).$type<string[]>().notNull(),
  scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
  tier: text("tier", { enum: ["sandbox", "standard", "enterprise"] }).notNull(),
  /** Overrides the tier's requests per second when set. */
  rateLimitPerSecond: integer("rate_limit_per_second"),
  dailyQuota: integer("daily_quota"),
  dataAccess: text("data_access", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  feeBps: integer("fee_bps").notNull().default(0),
  feeFixedMinor: integer("fee_fixed_minor").notNull().default(0),
  /** Charged per dispute at its opening, kept whatever the outcome (docs/disputes.md). */
  disputeFeeMinor: integer("dispute_fee_minor").notNull().default(0),
  /** Browser origins allowed to call the API with this partner's tokens (cors-origins.ts); empty: none. */
  corsOrigins: text("cors_origins", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  /** CIDR blocks the partner may call from (ip-allowlist.ts, canonical); empty: any address. */
  ipAllowlist: text("ip_allowlist", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  /** Hosts production webhook endpoints may use (webhook-domains.ts); empty: any public host. */
  webhookDomains: text("webhook_domains", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  /**
   * The API version the partner is pinned to (docs/versions.md). A contract written before versions
   * had dates reads the first version (the column's default); a new one is pinned to the current.
   */
  apiVersion: text("api_version")
    .notNull()
    .default(FIRST_VERSION)
    .$defaultFn(() => CURRENT_VERSION),
  /**
   * How the partner's clients authenticate and hold tokens (docs/fapi.md): `standard` is the bank's
   * contract (client secret; the password grant where `passwordGrant`); `fapi` is FAPI 2.0
   * (private_key_jwt or mutual TLS, sender-constrained tokens, never the password grant).
   */
  securityProfile: text("security_profile", { enum: ["standard", "fapi"] })
    .notNull()
    .default("standard"),
  /** The bank's contract's password grant, for a standard partner that needs it; a FAPI partner never has it. */
  passwordGrant: integer("password_grant", { mode: "boolean" }).notNull().default(true),
  ...timestamps,
});

/** OAuth2 client credentials. The secret is stored hashed only. */
export const partnerCredentials = sqliteTable(
  "partner_credentials",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    consumerKey: text("consumer_key").notNull(),
    secretHash: text("secret_hash").notNull(),
    description: text("description"),
    status: text("status", { enum: ["active", "revoked"] })
      .notNull()
      .default("active"),
    revokedAt: text("revoked_at"),
    /** When the key last obtained a token (the token endpoint writes it, off the answer's path). */
    lastUsedAt: text("last_used_at"),
    /** The end of a rotation's overlap: from then on the key is as good as revoked. */
    expiresAt: text("expires_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("partner_credentials_consumer_key").on(t.consumerKey),
    index("partner_credentials_partner").on(t.partnerId),
  ],
);

/** Partner users for the password grant. Passwords are stored hashed only. */
export const partnerUsers = sqliteTable(
  "partner_users",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    username: text("username").notNull(),
    passwordHash: text("password_hash").notNull(),
    status: text("status", { enum: ["active", "disabled"] })
      .notNull()
      .default("active"),
    /** The developer portal's role (docs/portal.md); the password grant does not read it. */
    role: text("role", { enum: ["owner", "developer", "viewer"] })
      .notNull()
      .default("owner"),
    /** The TOTP secret, sealed with the data key; null until enrolment starts. */
    totpSecret: text("totp_secret"),
    totpEnabledAt: text("totp_enabled_at"),
    /** The last TOTP time step accepted: a code is good for one sign-in. */
    totpLastStep: integer("totp_last_step"),
    ...timestamps,
  },
  (t) => [uniqueIndex("partner_users_partner_username").on(t.partnerId, t.username)],
);

/** The password grant's failed attempts per partner and username (lockout.ts). */
export const passwordFailures = sqliteTable(
  "password_failures",
  {
    partnerId: text("partner_id").notNull(),
    username: text("username").notNull(),
    attempts: integer("attempts").notNull(),
    windowStartedAt: text("window_started_at").notNull(),
    lockedUntil: text("locked_until"),
    /** Locks since the last success: each lasts twice as long as the one before. */
    lockouts: integer("lockouts").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.username] })],
);

// --------------------------------------------------------------------------- queries

export type PartnerRow = typeof partners.$inferSelect;
export type ContractRow = typeof partnerContracts.$inferSelect;

/** A consumer key with its partner, for client authentication at the token endpoint. */
export async function findCredential(db: Db, consumerKey: string) {
  const rows = await db
    .select({ credential: partnerCredentials, partner: partners })
    .from(partnerCredentials)
    .innerJoin(partners, eq(partners.id, partnerCredentials.partnerId))
    .where(eq(partnerCredentials.consumerKey, consumerKey))
    .limit(1);
  return rows[0];
}

export async function findUser(db: Db, partnerId: string, username: string) {
  const rows = await db
    .select()
    .from(partnerUsers)
    .where(and(eq(partnerUsers.partnerId, partnerId), eq(partnerUsers.username, username)))
    .limit(1);
  return rows[0];
}

/** A partner with its contract; undefined for an unknown partner or one without a contract. */
export async function findPartnerWithContract(db: Db, partnerId: string) {
  const rows = await db
    .select({ partner: partners, contract: partnerContracts })
    .from(partners)
    .innerJoin(partnerContracts, eq(partnerContracts.partnerId, partners.id))
    .where(eq(partners.id, partnerId))
    .limit(1);
  return rows[0];
}

/** Every browser origin the active partners of an environment list, for a CORS preflight. */
export async function listedCorsOrigins(db: Db, environment: PartnerRow["environment"]): Promise<string[]> {
  const rows = await db
    .select({ origins: partnerContracts.corsOrigins })
    .from(partnerContracts)
    .innerJoin(partners, eq(partners.id, partnerContracts.partnerId))
    .where(
      and(
        eq(partners.environment, environment),
        eq(partners.status, "active"),
        sql`${partnerContracts.corsOrigins} <> '[]'`,
      ),
    );
  return rows.flatMap((r) => r.origins);
}

/** Replaces a contract's IP allow-list and/or webhook domains (each already checked by its parser). */
export async function setAllowLists(
  db: Db,
  partnerId: string,
  lists: { ipAllowlist?: string[]; webhookDomains?: string[] },
) {
  await db
    .update(partnerContracts)
    .set({ ...lists, updatedAt: new Date().toISOString() })
    .where(eq(partnerContracts.partnerId, partnerId));
}

export async function setPartnerStatus(db: Db, partnerId: string, status: PartnerRow["status"]) {
  await db
    .update(partners)
    .set({ status, updatedAt: new Date().toISOString() })
    .where(eq(partners.id, partnerId));
}

export type CredentialRow = typeof partnerCredentials.$inferSelect;

export async function insertCredential(
  db: Db,
  row: typeof partnerCredentials.$inferInsert,
): Promise<CredentialRow> {
  const [created] = await db.insert(partnerCredentials).values(row).returning();
  if (!created) throw new Error("credential insert returned no row");
  return created;
}

export function listCredentials(db: Db, partnerId: string) {
  return db
    .select()
    .from(partnerCredentials)
    .where(eq(partnerCredentials.partnerId, partnerId))
    .orderBy(desc(partnerCredentials.id));
}

/** Revokes one of the partner's own credentials; undefined when it is not theirs. */
export async function revokeCredential(
  db: Db,
  partnerId: string,
  id: string,
): Promise<CredentialRow | undefined> {
  const now = new Date().toISOString();
  const [row] = await db
    .update(partnerCredentials)
    .set({
      status: "revoked",
      revokedAt: sql`coalesce(${partnerCredentials.revokedAt}, ${now})`,
      updatedAt: now,
    })
    .where(and(eq(partnerCredentials.id, id), eq(partnerCredentials.partnerId, partnerId)))
    .returning();
  return row;
}

/** A credential's key is good: active, and not past the end of a rotation's overlap. */
export const liveCredential = (
  row: Pick<CredentialRow, "status" | "expiresAt">,
  now = new Date().toISOString(),
) => row.status === "active" && (row.expiresAt === null || row.expiresAt > now);

export async function activeConsumerKeys(db: Db, partnerId: string): Promise<string[]> {
  const rows = await db
    .select({
      key: partnerCredentials.consumerKey,
      status: partnerCredentials.status,
      expiresAt: partnerCredentials.expiresAt,
    })
    .from(partnerCredentials)
    .where(and(eq(partnerCredentials.partnerId, partnerId), eq(partnerCredentials.status, "active")));
  return rows.filter((r) => liveCredential(r)).map((r) => r.key);
}

/** The key obtained a token at `at` (at most one write a minute per key). */
export async function touchCredential(db: Db, id: string, at: string) {
  const minuteAgo = new Date(Date.parse(at) - 60_000).toISOString();
  await db
    .update(partnerCredentials)
    .set({ lastUsedAt: at })
    .where(
      and(
        eq(partnerCredentials.id, id),
        sql`(${partnerCredentials.lastUsedAt} IS NULL OR ${partnerCredentials.lastUsedAt} < ${minuteAgo})`,
      ),
    );
}

/**
 * Ends one of the partner's active keys at `expiresAt` (a rotation's overlap), unless it already
 * ends sooner; undefined when the key is not theirs or not active.
 */
export async function expireCredential(
  db: Db,
  partnerId: string,
  id: string,
  expiresAt: string,
): Promise<CredentialRow | undefined> {
  const [row] = await db
    .update(partnerCredentials)
    .set({
      expiresAt: sql`CASE WHEN ${partnerCredentials.expiresAt} IS NOT NULL AND ${partnerCredentials.expiresAt} < ${expiresAt} THEN ${partnerCredentials.expiresAt} ELSE ${expiresAt} END`,
      updatedAt: new Date().toISOString(),
    })
    .where(
      and(
        eq(partnerCredentials.id, id),
        eq(partnerCredentials.partnerId, partnerId),
        eq(partnerCredentials.status, "active"),
      ),
    )
    .returning();
  return row;
}

/** Writes a provisioned partner in one D1 batch (all or nothing). */
export async function insertPartner(
  db: Db,
  rows: {
    partner: typeof partners.$inferInsert;
    contract: typeof partnerContracts.$inferInsert;
    credential: typeof partnerCredentials.$inferInsert;
    user?: typeof partnerUsers.$inferInsert;
  },
) {
  const user = rows.user;
  await db.batch([
    db.insert(partners).values(rows.partner),
    db.insert(partnerContracts).values(rows.contract),
    db.insert(partnerCredentials).values(rows.credential),
    ...(user ? [db.insert(partnerUsers).values(user)] : []),
  ]);
}

/**
 * A partner and its contract without a credential (the live partner an approved application
 * becomes: its credentials are made later, by the partner). Written once: the same id again
 * changes nothing, so a retry after a crash is safe. Batch items, to go with the caller's writes.
 */
export const partnerOnceWrites = (
  db: Db,
  rows: {
    partner: typeof partners.$inferInsert;
    contract: typeof partnerContracts.$inferInsert;
    user?: typeof partnerUsers.$inferInsert;
  },
) =>
  [
    db.insert(partners).values(rows.partner).onConflictDoNothing(),
    db.insert(partnerContracts).values(rows.contract).onConflictDoNothing(),
    ...(rows.user ? [db.insert(partnerUsers).values(rows.user).onConflictDoNothing()] : []),
  ] as const;

/**
 * Counts one password attempt before the password is checked, atomically (concurrent guesses
 * each take their own count): a new window when the last one has passed, nothing while locked.
 */
export async function takePasswordAttempt(
  db: Db,
  partnerId: string,
  username: string,
  now: string,
  windowStart: string,
): Promise<{ attempts: number; lockedUntil: string | null; lockouts: number }> {
  const locked = sql`${passwordFailures.lockedUntil} IS NOT NULL AND ${passwordFailures.lockedUntil} > ${now}`;
  const [row] = await db
    .insert(passwordFailures)
    .values({ partnerId, username, attempts: 1, windowStartedAt: now, lockedUntil: null })
    .onConflictDoUpdate({
      target: [passwordFailures.partnerId, passwordFailures.username],
      set: {
        attempts: sql`CASE WHEN ${locked} THEN ${passwordFailures.attempts} WHEN ${passwordFailures.windowStartedAt} <= ${windowStart} THEN 1 ELSE ${passwordFailures.attempts} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${locked} THEN ${passwordFailures.windowStartedAt} WHEN ${passwordFailures.windowStartedAt} <= ${windowStart} THEN ${now} ELSE ${passwordFailures.windowStartedAt} END`,
        lockedUntil: sql`CASE WHEN ${locked} THEN ${passwordFailures.lockedUntil} ELSE NULL END`,
      },
    })
    .returning({
      attempts: passwordFailures.attempts,
      lockedUntil: passwordFailures.lockedUntil,
      lockouts: passwordFailures.lockouts,
    });
  return row ?? { attempts: 1, lockedUntil: null, lockouts: 0 };
}

/**
 * Locks until `until`. A lock already in force (concurrent guesses past the allowance) is kept,
 * not counted again: only a new lock lengthens the next one.
 */
export async function lockPasswordGrant(
  db: Db,
  partnerId: string,
  username: string,
  until: string,
  now: string,
) {
  const inForce = sql`${passwordFailures.lockedUntil} IS NOT NULL AND ${passwordFailures.lockedUntil} > ${now}`;
  await db
    .update(passwordFailures)
    .set({
      lockedUntil: sql`CASE WHEN ${inForce} THEN ${passwordFailures.lockedUntil} ELSE ${until} END`,
      lockouts: sql`CASE WHEN ${inForce} THEN ${passwordFailures.lockouts} ELSE ${passwordFailures.lockouts} + 1 END`,
    })
    .where(and(eq(passwordFailures.partnerId, partnerId), eq(passwordFailures.username, username)));
}

export async function clearPasswordFailures(db: Db, partnerId: string, username: string) {
  await db
    .delete(passwordFailures)
    .where(and(eq(passwordFailures.partnerId, partnerId), eq(passwordFailures.username, username)));
}
