import { and, asc, desc, eq, isNull, lt, type SQL, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Product } from "../../platform/catalog";
import type { Db } from "../../platform/db/client";
import { timestamps } from "../../platform/db/schema";
import type { ApplicationStatus, Checklist, DocumentKind, HistoryActorKind } from "./application-model";

// ---------------------------------------------------------------------------- tables
// Production's D1 only (docs/onboarding.md): the application, its documents' descriptions (the
// bytes are in R2) and the append-only history the partner reads with the reviewers' comments.

export const applications = sqliteTable(
  "applications",
  {
    id: text("id").primaryKey(),
    registrationId: text("registration_id").notNull(),
    /** The production partner it becomes: the registration's reserved `production_partner_id`. */
    partnerId: text("partner_id").notNull(),
    status: text("status", {
      enum: ["draft", "submitted", "changes_requested", "approved", "rejected"],
    })
      .$type<ApplicationStatus>()
      .notNull(),
    products: text("products", { mode: "json" }).$type<Product[]>().notNull(),
    checklist: text("checklist", { mode: "json" }).$type<Checklist>().notNull(),
    /** Grows with every change; an approval is for the revision its maker reviewed. */
    revision: integer("revision").notNull().default(1),
    /** The pending or last `production_access` change request (the maker's approval). */
    changeRequestId: text("change_request_id"),
    submittedAt: text("submitted_at"),
    decidedAt: text("decided_at"),
    /** When the live partner was written (approval, or the cron's recovery after a crash). */
    livePartnerCreatedAt: text("live_partner_created_at"),
    ...timestamps,
  },
  (t) => [index("applications_status").on(t.status, t.id)],
);

export const applicationHistory = sqliteTable(
  "application_history",
  {
    id: text("id").primaryKey(),
    applicationId: text("application_id").notNull(),
    actorKind: text("actor_kind", { enum: ["registrant", "admin", "system"] })
      .$type<HistoryActorKind>()
      .notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    comment: text("comment"),
    /** Which members changed, with their values before and after. */
    diff: text("diff", { mode: "json" }).$type<Record<string, { before: unknown; after: unknown }>>(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("application_history_application").on(t.applicationId, t.id)],
);

export const applicationDocuments = sqliteTable(
  "application_documents",
  {
    id: text("id").primaryKey(),
    applicationId: text("application_id").notNull(),
    kind: text("kind").$type<DocumentKind>().notNull(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    r2Key: text("r2_key").notNull(),
    removedAt: text("removed_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("application_documents_application").on(t.applicationId, t.id)],
);

export type ApplicationRow = typeof applications.$inferSelect;
export type HistoryRow = typeof applicationHistory.$inferSelect;
export type DocumentRow = typeof applicationDocuments.$inferSelect;

// --------------------------------------------------------------------------- queries

export async function findApplication(db: Db, id: string): Promise<ApplicationRow | undefined> {
  const rows = await db.select().from(applications).where(eq(applications.id, id)).limit(1);
  return rows[0];
}

/** The registration's applications, newest first. */
export const applicationsOf = (db: Db, registrationId: string) =>
  db
    .select()
    .from(applications)
    .where(eq(applications.registrationId, registrationId))
    .orderBy(desc(applications.id));

/** Creates a draft: false when the registration has an open application (the unique index decides). */
export async function insertApplication(
  db: Db,
  row: typeof applications.$inferInsert,
  history: typeof applicationHistory.$inferInsert,
): Promise<boolean> {
  try {
    await db.batch([db.insert(applications).values(row), db.insert(applicationHistory).values(history)]);
    return true;
  } catch (err) {
    if (err instanceof Error && /UNIQUE constraint failed/.test(`${err.message} ${String(err.cause)}`))
      return false;
    throw err;
  }
}

/**
 * One change of an application and its history line, in one batch, only if the application is
 * still at `revision` and in one of `from`: of two concurrent changes one wins. The history line
 * is written only with the change (`changes()` of the update). The revision grows unless `set`
 * says otherwise (proposing an approval keeps it). Answers the new row, or undefined.
 */
export async function changeApplication(
  db: Db,
  id: string,
  expect: { revision: number; from: readonly ApplicationStatus[] },
  set: Partial<typeof applications.$inferInsert>,
  history: typeof applicationHistory.$inferInsert,
  gate?: SQL,
): Promise<ApplicationRow | undefined> {
  const at = history.createdAt;
  const [updated] = await db.batch([
    db
      .update(applications)
      .set({ revision: expect.revision + 1, ...set, updatedAt: at })
      .where(
        and(
          eq(applications.id, id),
          eq(applications.revision, expect.revision),
          sql`${applications.status} IN (${sql.join(
            expect.from.map((s) => sql`${s}`),
            sql`, `,
          )})`,
          gate,
        ),
      )
      .returning(),
    db
      .insert(applicationHistory)
      .select(
        sql`SELECT ${history.id}, ${history.applicationId}, ${history.actorKind}, ${history.actor}, ${history.action}, ${history.fromStatus ?? null}, ${history.toStatus ?? null}, ${history.comment ?? null}, ${history.diff === undefined || history.diff === null ? null : JSON.stringify(history.diff)}, ${at} WHERE changes() > 0`,
      ),
  ]);
  return updated[0];
}

/** A history line on its own (an upload, a comment): written only while `gate` holds. */
export const insertHistory = (db: Db, row: typeof applicationHistory.$inferInsert) =>
  db.insert(applicationHistory).values(row).onConflictDoNothing();

export const historyOf = (db: Db, applicationId: string) =>
  db
    .select()
    .from(applicationHistory)
    .where(eq(applicationHistory.applicationId, applicationId))
    .orderBy(asc(applicationHistory.createdAt), asc(applicationHistory.id));

/** The review queue: applications in `status`, oldest first, after the cursor. */
export const applicationsInStatus = (
  db: Db,
  filter: { status?: ApplicationStatus; after?: string; limit: number },
) =>
  db
    .select()
    .from(applications)
    .where(
      and(
        filter.status ? eq(applications.status, filter.status) : undefined,
        filter.after ? sql`${applications.id} > ${filter.after}` : undefined,
      ),
    )
    .orderBy(asc(applications.id))
    .limit(filter.limit + 1);

/** The approval's write, gated on its change request being decidable: one statement. */
export const approvalWhen = (db: Db, id: string, revision: number, gate: SQL, at: string) =>
  db
    .update(applications)
    .set({ status: "approved", decidedAt: at, updatedAt: at })
    .where(
      and(
        eq(applications.id, id),
        eq(applications.status, "submitted"),
        eq(applications.revision, revision),
        gate,
      ),
    );

/** Approved applications whose live partner was never written (a crash after the approval). */
export const approvedWithoutPartner = (db: Db, before: string, limit: number) =>
  db
    .select()
    .from(applications)
    .where(
      and(
        eq(applications.status, "approved"),
        isNull(applications.livePartnerCreatedAt),
        lt(applications.decidedAt, before),
      ),
    )
    .orderBy(asc(applications.id))
    .limit(limit);

export const markLivePartnerCreated = (db: Db, id: string, at: string) =>
  db
    .update(applications)
    .set({ livePartnerCreatedAt: at, updatedAt: at })
    .where(and(eq(applications.id, id), isNull(applications.livePartnerCreatedAt)));

// -------------------------------------------------------------------------- documents

export const documentsOf = (db: Db, applicationId: string) =>
  db
    .select()
    .from(applicationDocuments)
    .where(and(eq(applicationDocuments.applicationId, applicationId), isNull(applicationDocuments.removedAt)))
    .orderBy(asc(applicationDocuments.id));

export async function findDocument(db: Db, applicationId: string, id: string) {
  const rows = await db
    .select()
    .from(applicationDocuments)
    .where(
      and(
        eq(applicationDocuments.id, id),
        eq(applicationDocuments.applicationId, applicationId),
        isNull(applicationDocuments.removedAt),
      ),
    )
    .limit(1);
  return rows[0];
}

/** Records an uploaded document with its history line, while the application is editable. */
export const documentWrites = (
  db: Db,
  row: typeof applicationDocuments.$inferInsert,
  history: typeof applicationHistory.$inferInsert,
) => [db.insert(applicationDocuments).values(row), insertHistory(db, history)] as const;

export const removeDocumentWrite = (db: Db, id: string, at: string) =>
  db
    .update(applicationDocuments)
    .set({ removedAt: at })
    .where(and(eq(applicationDocuments.id, id), isNull(applicationDocuments.removedAt)))
    .returning({ id: applicationDocuments.id });
