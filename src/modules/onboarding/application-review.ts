import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import { type ApprovalDeps, approve, changeRequestView, propose } from "../admin/approvals";
import type { Actor } from "../admin/model";
import { findChangeRequest } from "../admin/storage";
import { documentView } from "./application";
import type { ApplicationStatus } from "./application-model";
import { missingItems } from "./application-model";
import {
  type ApplicationRow,
  applicationsInStatus,
  changeApplication,
  documentsOf,
  findApplication,
  historyOf,
} from "./application-storage";
import { findRegistration } from "./storage";

/**
 * The platform team's review of production applications (the admin API, docs/admin.md): the
 * queue, requesting changes, rejecting, and approving, which takes two approvers (maker and
 * checker) through a `production_access` change request. Every step is a history line the
 * partner reads; the reviewers' identities stay on this side.
 */

async function reviewView(db: Db, row: ApplicationRow) {
  const [registration, documents, history, request] = await Promise.all([
    findRegistration(db, row.registrationId),
    documentsOf(db, row.id),
    historyOf(db, row.id),
    row.changeRequestId ? findChangeRequest(db, row.changeRequestId) : undefined,
  ]);
  return {
    id: row.id,
    object: "application" as const,
    status: row.status,
    revision: row.revision,
    registration: registration
      ? {
          id: registration.id,
          company_name: registration.companyName,
          country: registration.country,
          contact_email: registration.contactEmail,
          email_verified: registration.emailVerifiedAt !== null,
          use_case: registration.useCase,
          sandbox_partner_id: registration.sandboxPartnerId,
        }
      : null,
    partner_id: row.partnerId,
    products: row.products,
    checklist: row.checklist,
    missing: missingItems(row.products, row.checklist, documents),
    documents: documents.map(documentView),
    approval: request ? changeRequestView(request) : null,
    history: history.map((h) => ({
      id: h.id,
      action: h.action,
      actor: { kind: h.actorKind, id: h.actor },
      from_status: h.fromStatus,
      to_status: h.toStatus,
      comment: h.comment,
      diff: h.diff,
      created_at: h.createdAt,
    })),
    submitted_at: row.submittedAt,
    decided_at: row.decidedAt,
    live_partner_created_at: row.livePartnerCreatedAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}
export type ReviewView = Awaited<ReturnType<typeof reviewView>>;

async function requireApplication(db: Db, id: string) {
  const row = await findApplication(db, id);
  if (!row) throw new ApiError("not_found", { resource: `application ${id}` });
  return row;
}

export const getForReview = async (db: Db, id: string) => reviewView(db, await requireApplication(db, id));

/** The review queue: `submitted` by default, oldest first. */
export async function reviewQueue(
  db: Db,
  filter: { status?: ApplicationStatus; starting_after?: string; limit: number },
) {
  const rows = await applicationsInStatus(db, {
    status: filter.status,
    after: filter.starting_after,
    limit: filter.limit,
  });
  return {
    data: await Promise.all(rows.slice(0, filter.limit).map((r) => reviewView(db, r))),
    has_more: rows.length > filter.limit,
  };
}

/** One reviewer's decision: from the states allowed to `to`, with the comment the partner reads. */
async function decide(
  db: Db,
  actor: Actor,
  id: string,
  step: { operation: string; action: string; from: readonly ApplicationStatus[]; to: ApplicationStatus },
  comment: string,
) {
  const row = await requireApplication(db, id);
  const refused = (status: string) =>
    new ApiError("invalid_state_transition", { operation: step.operation, object: "application", status });
  if (!step.from.includes(row.status)) throw refused(row.status);
  const at = new Date().toISOString();
  const updated = await changeApplication(
    db,
    id,
    { revision: row.revision, from: step.from },
    { status: step.to, ...(step.to === "rejected" ? { decidedAt: at } : {}) },
    {
      id: uuidv7(),
      applicationId: id,
      actorKind: "admin",
      actor: actor.identity,
      action: step.action,
      fromStatus: row.status,
      toStatus: step.to,
      comment,
      createdAt: at,
    },
  );
  if (!updated) throw refused((await findApplication(db, id))?.status ?? row.status);
  return { before: row, after: await reviewView(db, updated) };
}

/** Sends a submitted application back to the partner with what to change. */
export const requestChanges = (db: Db, actor: Actor, id: string, comment: string) =>
  decide(
    db,
    actor,
    id,
    {
      operation: "request changes to",
      action: "changes_requested",
      from: ["submitted"],
      to: "changes_requested",
    },
    comment,
  );

/** Refuses an application for good; the registration may apply again. */
export const rejectApplication = (db: Db, actor: Actor, id: string, reason: string) =>
  decide(
    db,
    actor,
    id,
    {
      operation: "reject",
      action: "rejected",
      from: ["submitted", "changes_requested"],
      to: "rejected",
    },
    reason,
  );

export type ApprovalOutcome =
  | { kind: "proposed"; application: ReviewView }
  | { kind: "approved"; application: ReviewView };

/**
 * Approving production access takes two different approvers. The first call on a submitted
 * application is the maker's approval: a `production_access` change request for this revision,
 * which lapses after `ADMIN_APPROVAL_TTL_HOURS`. The next call, by another approver, is the
 * checker's: the application becomes `approved` in the same D1 transaction as the decision, and
 * the live partner is written (105 for the maker approving twice, 106 once it lapsed; a change
 * since the proposal, such as a change request, makes it 60).
 */
export async function approveApplication(
  deps: ApprovalDeps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<ApprovalOutcome> {
  const row = await requireApplication(deps.db, id);
  if (row.status !== "submitted")
    throw new ApiError("invalid_state_transition", {
      operation: "approve",
      object: "application",
      status: row.status,
    });
  const pending = row.changeRequestId ? await findChangeRequest(deps.db, row.changeRequestId) : undefined;
  const current =
    pending?.status === "pending" &&
    (pending.change as { revision?: number }).revision === row.revision &&
    pending.expiresAt > new Date().toISOString();
  if (pending && current) {
    await approve(deps, actor, pending.id, reason);
    return { kind: "approved", application: await getForReview(deps.db, id) };
  }
  const request = await propose(
    deps,
    actor,
    "production_access",
    row.partnerId,
    { application_id: row.id, revision: row.revision, products: row.products },
    {},
    reason,
  );
  const at = new Date().toISOString();
  const updated = await changeApplication(
    deps.db,
    id,
    { revision: row.revision, from: ["submitted"] },
    { changeRequestId: request.id, revision: row.revision },
    {
      id: uuidv7(),
      applicationId: id,
      actorKind: "admin",
      actor: actor.identity,
      action: "approval_proposed",
      fromStatus: "submitted",
      toStatus: "submitted",
      comment: reason,
      createdAt: at,
    },
  );
  if (!updated)
    throw new ApiError("invalid_state_transition", {
      operation: "approve",
      object: "application",
      status: (await findApplication(deps.db, id))?.status ?? row.status,
    });
  return { kind: "proposed", application: await reviewView(deps.db, updated) };
}
