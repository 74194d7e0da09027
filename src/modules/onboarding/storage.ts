import { and, desc, eq, isNull, lte, sql } from "drizzle-orm";
import { index, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Db } from "../../platform/db/client";
import { timestamps } from "../../platform/db/schema";

// ---------------------------------------------------------------------------- tables
// The control plane's records: production's D1 only (docs/onboarding.md). The sandbox Worker's
// database has the same (empty) tables, as every environment runs every migration.

/**
 * A company that registered: who it is, what it wants, its email's verification state and the
 * sandbox partner made for it (only its id: the sandbox credentials never enter production).
 * The production application (checklist, documents, reviews) will reference it by `id`.
 */
export const registrations = sqliteTable(
  "registrations",
  {
    id: text("id").primaryKey(),
    companyName: text("company_name").notNull(),
    /** ISO 3166-1 alpha-2. */
    country: text("country").notNull(),
    /** Lower-cased; unique. */
    contactEmail: text("contact_email").notNull(),
    /** PBKDF2, salted for production alone: the sandbox hashes its own copy. */
    passwordHash: text("password_hash").notNull(),
    productsWanted: text("products_wanted", { mode: "json" }).$type<string[]>().notNull(),
    useCase: text("use_case").notNull(),
    /** `provisioning` until the sandbox partner exists, then `registered`. */
    status: text("status", { enum: ["provisioning", "registered"] }).notNull(),
    sandboxPartnerId: text("sandbox_partner_id").notNull(),
    /**
     * The production partner's id, reserved at registration: the terms accepted before going live
     * are recorded for it, and the approved application creates the partner with it.
     */
    productionPartnerId: text("production_partner_id"),
    /** The client IP the registration came from (CF-Connecting-IP). */
    registeredFromIp: text("registered_from_ip"),
    emailVerifiedAt: text("email_verified_at"),
    /** The current link's nonce (not a secret: the link's MAC needs the platform's key); null once used. */
    verificationNonce: text("verification_nonce"),
    verificationExpiresAt: text("verification_expires_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("registrations_contact_email").on(t.contactEmail),
    uniqueIndex("registrations_production_partner").on(t.productionPartnerId),
    // The cron's recovery sweep (migration 0029): only registrations stuck half-way.
    index("registrations_provisioning").on(t.updatedAt, t.id).where(sql`${t.status} = 'provisioning'`),
  ],
);

/** A version of the terms of service, as published; never changed once published. */
export const termsDocuments = sqliteTable(
  "terms_documents",
  {
    version: text("version").primaryKey(),
    text: text("text").notNull(),
    /** Lower-case hex SHA-256 of the UTF-8 text. */
    sha256: text("sha256").notNull(),
    publishedAt: text("published_at").notNull(),
    /** After this instant a production partner that has not accepted this version is refused (code 24). */
    acceptBy: text("accept_by").notNull(),
  },
  (t) => [index("terms_documents_published").on(t.publishedAt)],
);

/** One partner's acceptance of one exact version: who, when, from where, and the hash accepted. */
export const termsAcceptances = sqliteTable(
  "terms_acceptances",
  {
    id: text("id").primaryKey(),
    partnerId: text("partner_id").notNull(),
    version: text("version")
      .notNull()
      .references(() => termsDocuments.version),
    sha256: text("sha256").notNull(),
    /** `credential`: the consumer key whose token made the call; `user`: a partner user. */
    acceptedByKind: text("accepted_by_kind", { enum: ["user", "credential"] }).notNull(),
    acceptedBy: text("accepted_by").notNull(),
    ip: text("ip"),
    acceptedAt: text("accepted_at").notNull(),
  },
  (t) => [uniqueIndex("terms_acceptances_partner_version").on(t.partnerId, t.version)],
);

export type RegistrationRow = typeof registrations.$inferSelect;
export type TermsDocumentRow = typeof termsDocuments.$inferSelect;
export type TermsAcceptanceRow = typeof termsAcceptances.$inferSelect;

// --------------------------------------------------------------------------- queries

export async function findRegistration(db: Db, id: string): Promise<RegistrationRow | undefined> {
  const rows = await db.select().from(registrations).where(eq(registrations.id, id)).limit(1);
  return rows[0];
}

export async function findRegistrationByEmail(db: Db, email: string): Promise<RegistrationRow | undefined> {
  const rows = await db.select().from(registrations).where(eq(registrations.contactEmail, email)).limit(1);
  return rows[0];
}

/** Claims the email: false when another registration holds it (the unique index decides races). */
export async function insertRegistration(db: Db, row: typeof registrations.$inferInsert): Promise<boolean> {
  const inserted = await db
    .insert(registrations)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: registrations.id });
  return inserted.length > 0;
}

export const deleteRegistration = (db: Db, id: string) =>
  db.delete(registrations).where(eq(registrations.id, id));

export const markRegistered = (db: Db, id: string, now: string) =>
  db
    .update(registrations)
    .set({ status: "registered", updatedAt: now })
    .where(and(eq(registrations.id, id), eq(registrations.status, "provisioning")));

/** Marks the email verified if `nonce` is still the current link's; answers whether it did. */
export async function consumeVerification(db: Db, id: string, nonce: string, now: string): Promise<boolean> {
  const rows = await db
    .update(registrations)
    .set({ emailVerifiedAt: now, verificationNonce: null, updatedAt: now })
    .where(
      and(
        eq(registrations.id, id),
        eq(registrations.verificationNonce, nonce),
        isNull(registrations.emailVerifiedAt),
      ),
    )
    .returning({ id: registrations.id });
  return rows.length > 0;
}

/** A new link's nonce and expiry, while the email is not verified; the row, or none. */
export const renewVerificationNonce = (db: Db, id: string, nonce: string, expiresAt: string, now: string) =>
  db
    .update(registrations)
    .set({ verificationNonce: nonce, verificationExpiresAt: expiresAt, updatedAt: now })
    .where(and(eq(registrations.id, id), isNull(registrations.emailVerifiedAt)))
    .returning({ id: registrations.id });

/** The terms in force at `now`: the latest published. */
export async function currentTermsDocument(db: Db, now: string): Promise<TermsDocumentRow | undefined> {
  const rows = await db
    .select()
    .from(termsDocuments)
    .where(lte(termsDocuments.publishedAt, now))
    .orderBy(desc(termsDocuments.publishedAt), desc(termsDocuments.version))
    .limit(1);
  return rows[0];
}

export async function findTermsDocument(db: Db, version: string): Promise<TermsDocumentRow | undefined> {
  const rows = await db.select().from(termsDocuments).where(eq(termsDocuments.version, version)).limit(1);
  return rows[0];
}

/** Every published version, newest first, with how many partners accepted it (the admin API). */
export function termsDocumentsWithAcceptances(db: Db) {
  return db
    .select({
      version: termsDocuments.version,
      sha256: termsDocuments.sha256,
      publishedAt: termsDocuments.publishedAt,
      acceptBy: termsDocuments.acceptBy,
      acceptances: sql<number>`(SELECT count(*) FROM ${termsAcceptances} WHERE ${termsAcceptances.version} = ${termsDocuments.version})`,
    })
    .from(termsDocuments)
    .orderBy(desc(termsDocuments.publishedAt), desc(termsDocuments.version));
}

export async function findAcceptance(
  db: Db,
  partnerId: string,
  version: string,
): Promise<TermsAcceptanceRow | undefined> {
  const rows = await db
    .select()
    .from(termsAcceptances)
    .where(and(eq(termsAcceptances.partnerId, partnerId), eq(termsAcceptances.version, version)))
    .limit(1);
  return rows[0];
}

/** Records an acceptance once per partner and version: false when one exists already. */
export async function insertAcceptance(db: Db, row: TermsAcceptanceRow): Promise<boolean> {
  const inserted = await db
    .insert(termsAcceptances)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: termsAcceptances.id });
  return inserted.length > 0;
}

/** Publishes a version once: false when the version exists already. */
export async function insertTermsDocument(db: Db, row: TermsDocumentRow): Promise<boolean> {
  const inserted = await db
    .insert(termsDocuments)
    .values(row)
    .onConflictDoNothing()
    .returning({ version: termsDocuments.version });
  return inserted.length > 0;
}

/**
 * For the partner profile (cached per isolate): the current terms when this partner has not
 * accepted them, else null. One statement, on a profile load only.
 */
export async function termsDueFor(
  db: Db,
  partnerId: string,
  now: string,
): Promise<{ version: string; acceptBy: string } | null> {
  const rows = await db
    .select({
      version: termsDocuments.version,
      acceptBy: termsDocuments.acceptBy,
      accepted: sql<number>`EXISTS (SELECT 1 FROM ${termsAcceptances} WHERE ${termsAcceptances.partnerId} = ${partnerId} AND ${termsAcceptances.version} = ${termsDocuments.version})`,
    })
    .from(termsDocuments)
    .where(lte(termsDocuments.publishedAt, now))
    .orderBy(desc(termsDocuments.publishedAt), desc(termsDocuments.version))
    .limit(1);
  const row = rows[0];
  return row && !row.accepted ? { version: row.version, acceptBy: row.acceptBy } : null;
}

/**
 * The terms reminder sent to a registration for one version (migration 0029): written in the same
 * batch as its notification event, so each (registration, version) is reminded once.
 */
export const termsReminders = sqliteTable(
  "terms_reminders",
  {
    registrationId: text("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    version: text("version")
      .notNull()
      .references(() => termsDocuments.version),
    eventId: text("event_id").notNull(),
    sentAt: text("sent_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.registrationId, t.version] }),
    uniqueIndex("terms_reminders_event").on(t.eventId),
  ],
);

/** Registrations in `provisioning` untouched since `before`, least recently touched first (the recovery sweep). */
export function stuckRegistrations(db: Db, before: string, limit: number) {
  return db
    .select()
    .from(registrations)
    .where(and(eq(registrations.status, "provisioning"), lte(registrations.updatedAt, before)))
    .orderBy(registrations.updatedAt, registrations.id)
    .limit(limit);
}

/** Deletes a registration still in `provisioning`: false when it moved on meanwhile. */
export async function deleteProvisioningRegistration(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .delete(registrations)
    .where(and(eq(registrations.id, id), eq(registrations.status, "provisioning")))
    .returning({ id: registrations.id });
  return rows.length > 0;
}

/** Moves a registration the recovery could not finish to the back of its queue. */
export const touchRegistration = (db: Db, id: string, at: string) =>
  db.update(registrations).set({ updatedAt: at }).where(eq(registrations.id, id));
