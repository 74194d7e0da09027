import type { Product } from "../../platform/catalog";
import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import {
  type ApplicationStatus,
  CHECKLIST_MEMBERS,
  type Checklist,
  EDITABLE,
  missingItems,
} from "./application-model";
import {
  type ApplicationRow,
  applicationsOf,
  changeApplication,
  type DocumentRow,
  documentsOf,
  findApplication,
  type HistoryRow,
  historyOf,
  insertApplication,
} from "./application-storage";
import { productionPartnerOf } from "./session";
import type { RegistrationRow } from "./storage";
import { currentTermsDocument, findAcceptance } from "./storage";

/**
 * The production application, the partner's side (docs/onboarding.md): a draft with the products
 * wanted and the compliance checklist, changed while `draft` or `changes_requested`, submitted
 * when complete; every change is a history line the partner reads with the reviewers' comments.
 */

/** A checklist as the API takes it: each member given replaces the stored one; `null` clears it. */
export type ChecklistPatch = { [K in keyof Checklist]?: Checklist[K] | null };

export interface ApplicationInput {
  products?: Product[];
  checklist?: ChecklistPatch;
}

/** The checklist with the patch applied. */
function patched(checklist: Checklist, patch: ChecklistPatch | undefined): Checklist {
  const next: Checklist = { ...checklist };
  for (const [member, value] of Object.entries(patch ?? {}) as [keyof Checklist, unknown][]) {
    if (value === null) delete next[member];
    else if (value !== undefined) (next as Record<string, unknown>)[member] = value;
  }
  return next;
}

export const documentView = (d: DocumentRow) => ({
  id: d.id,
  object: "application_document" as const,
  kind: d.kind,
  filename: d.filename,
  content_type: d.contentType,
  size: d.size,
  sha256: d.sha256,
  created_at: d.createdAt,
});

export const historyView = (h: HistoryRow) => ({
  id: h.id,
  action: h.action,
  actor: { kind: h.actorKind, id: h.actorKind === "admin" ? "platform team" : h.actor },
  from_status: h.fromStatus,
  to_status: h.toStatus,
  comment: h.comment,
  changed: h.diff ? Object.keys(h.diff) : [],
  created_at: h.createdAt,
});

/**
 * The application with its documents and history. Reviewers' identities are the platform team's
 * own business: the partner sees "platform team" and the comment; the admin API sees who.
 */
export function applicationView(
  row: ApplicationRow,
  documents: readonly DocumentRow[],
  history: readonly HistoryRow[],
) {
  return {
    id: row.id,
    object: "application" as const,
    status: row.status,
    revision: row.revision,
    products: row.products,
    checklist: row.checklist,
    documents: documents.map(documentView),
    missing: missingItems(row.products, row.checklist, documents),
    partner_id: row.status === "approved" && row.livePartnerCreatedAt ? row.partnerId : null,
    history: history.map(historyView),
    submitted_at: row.submittedAt,
    decided_at: row.decidedAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
export type ApplicationView = ReturnType<typeof applicationView>;

export async function loadView(db: Db, row: ApplicationRow) {
  const [documents, history] = await Promise.all([documentsOf(db, row.id), historyOf(db, row.id)]);
  return applicationView(row, documents, history);
}

/** The registration's own application; another's answers 404 exactly as an unknown id. */
export async function ownApplication(db: Db, registration: RegistrationRow, id: string) {
  const row = await findApplication(db, id);
  if (!row || row.registrationId !== registration.id)
    throw new ApiError("not_found", { resource: `application ${id}` });
  return row;
}

const registrant = (registration: RegistrationRow) => ({
  actorKind: "registrant" as const,
  actor: registration.id,
});

/** What changed between two checklists and product lists, member by member. */
function diffOf(before: ApplicationRow, products: Product[], checklist: Checklist) {
  const diff: Record<string, { before: unknown; after: unknown }> = {};
  if (JSON.stringify(before.products) !== JSON.stringify(products))
    diff.products = { before: before.products, after: products };
  for (const member of CHECKLIST_MEMBERS) {
    const was = before.checklist[member] ?? null;
    const now = checklist[member] ?? null;
    if (JSON.stringify(was) !== JSON.stringify(now)) diff[member] = { before: was, after: now };
  }
  return diff;
}

/** A new draft: one open application per registration (409, code 136). */
export async function createApplication(db: Db, registration: RegistrationRow, input: ApplicationInput) {
  const at = new Date().toISOString();
  const id = uuidv7();
  const row = {
    id,
    registrationId: registration.id,
    partnerId: productionPartnerOf(registration),
    status: "draft" as const,
    products: input.products ?? (registration.productsWanted as Product[]),
    checklist: patched({}, input.checklist),
    revision: 1,
    createdAt: at,
    updatedAt: at,
  };
  const created = await insertApplication(db, row, {
    id: uuidv7(),
    applicationId: id,
    ...registrant(registration),
    action: "created",
    fromStatus: null,
    toStatus: "draft",
    createdAt: at,
  });
  if (!created) {
    const open = (await applicationsOf(db, registration.id)).find((a) => a.status !== "rejected");
    throw new ApiError("application_open", { id: open?.id ?? "" });
  }
  return loadView(db, (await findApplication(db, id)) as ApplicationRow);
}

const notEditable = (operation: string, status: ApplicationStatus) =>
  new ApiError("invalid_state_transition", { operation, object: "application", status });

/**
 * Changes the products or checklist members given (each member replaced whole; `null` clears
 * it), while `draft` or `changes_requested`. A concurrent change makes one of the two 409.
 */
export async function updateApplication(
  db: Db,
  registration: RegistrationRow,
  id: string,
  patch: ApplicationInput,
) {
  const row = await ownApplication(db, registration, id);
  if (!EDITABLE.includes(row.status)) throw notEditable("change", row.status);
  const products = patch.products ?? row.products;
  const checklist = patched(row.checklist, patch.checklist);
  const diff = diffOf(row, products, checklist);
  if (Object.keys(diff).length === 0) return loadView(db, row);
  const at = new Date().toISOString();
  const updated = await changeApplication(
    db,
    id,
    { revision: row.revision, from: EDITABLE },
    { products, checklist },
    {
      id: uuidv7(),
      applicationId: id,
      ...registrant(registration),
      action: "updated",
      fromStatus: row.status,
      toStatus: row.status,
      diff,
      createdAt: at,
    },
  );
  if (!updated) throw notEditable("change", (await findApplication(db, id))?.status ?? row.status);
  return loadView(db, updated);
}

/**
 * Submits for review: the contact email verified (403, 134), the current terms accepted (403,
 * 135), the checklist complete for the products (422, 137, naming what is missing).
 */
export async function submitApplication(db: Db, registration: RegistrationRow, id: string) {
  const row = await ownApplication(db, registration, id);
  if (!EDITABLE.includes(row.status)) throw notEditable("submit", row.status);
  if (!registration.emailVerifiedAt) throw new ApiError("email_not_verified");
  const at = new Date();
  const terms = await currentTermsDocument(db, at.toISOString());
  if (terms && !(await findAcceptance(db, row.partnerId, terms.version)))
    throw new ApiError("terms_not_accepted", { version: terms.version });
  const missing = missingItems(row.products, row.checklist, await documentsOf(db, id));
  if (missing.length > 0) throw new ApiError("application_incomplete", { missing: missing.join(", ") });
  const updated = await changeApplication(
    db,
    id,
    { revision: row.revision, from: EDITABLE },
    { status: "submitted", submittedAt: at.toISOString() },
    {
      id: uuidv7(),
      applicationId: id,
      ...registrant(registration),
      action: "submitted",
      fromStatus: row.status,
      toStatus: "submitted",
      createdAt: at.toISOString(),
    },
  );
  if (!updated) throw notEditable("submit", (await findApplication(db, id))?.status ?? row.status);
  return loadView(db, updated);
}

export async function listApplications(db: Db, registration: RegistrationRow) {
  const rows = await applicationsOf(db, registration.id);
  return { data: await Promise.all(rows.map((r) => loadView(db, r))), has_more: false };
}
