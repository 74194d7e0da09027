import { z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { pageQuery, pageResponse } from "../../../platform/http/pagination";
import { documentContent } from "../../onboarding/application-documents";
import { APPLICATION_STATUSES, DOCUMENT_KINDS } from "../../onboarding/application-model";
import {
  approveApplication,
  getForReview,
  rejectApplication,
  requestChanges,
  reviewQueue,
} from "../../onboarding/application-review";
import { actorOf, json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { ChangeRequestSchema, Reason } from "./schema";

const IdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
const contact = z.object({ name: z.string(), email: z.string(), phone: z.string().nullable().optional() });

const ReviewSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("application"),
    status: z.enum(APPLICATION_STATUSES),
    revision: z.number().int(),
    registration: z
      .object({
        id: z.string(),
        company_name: z.string(),
        country: z.string(),
        contact_email: z.string(),
        email_verified: z.boolean(),
        use_case: z.string(),
        sandbox_partner_id: z.string(),
      })
      .nullable(),
    partner_id: z.string().openapi({ description: "The production partner it becomes when approved." }),
    products: z.array(z.string()),
    checklist: z
      .object({
        legal_entity: z
          .object({
            name: z.string(),
            registration_number: z.string(),
            lei: z.string().nullable().optional(),
          })
          .optional(),
        licences: z.record(z.string(), z.string()).optional(),
        data_protection_contact: contact.optional(),
        webhook_urls: z.array(z.string()).optional(),
        ip_allowlist: z.array(z.string()).optional(),
        technical_contact: contact.optional(),
        security_contact: contact.optional(),
      })
      .openapi({ description: "What the partner filled in." }),
    missing: z.array(z.string()),
    documents: z.array(
      z.object({
        id: z.string(),
        object: z.literal("application_document"),
        kind: z.enum(DOCUMENT_KINDS),
        filename: z.string(),
        content_type: z.string(),
        size: z.number().int(),
        sha256: z.string(),
        created_at: z.string(),
      }),
    ),
    approval: ChangeRequestSchema.nullable().openapi({
      description: "The `production_access` change request: the maker's approval, waiting for a checker.",
    }),
    history: z.array(
      z.object({
        id: z.string(),
        action: z.string(),
        actor: z.object({ kind: z.enum(["registrant", "admin", "system"]), id: z.string() }),
        from_status: z.string().nullable(),
        to_status: z.string().nullable(),
        comment: z.string().nullable(),
        diff: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })).nullable(),
        created_at: z.string(),
      }),
    ),
    submitted_at: z.string().nullable(),
    decided_at: z.string().nullable(),
    live_partner_created_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("AdminApplication");

const CommentRequest = envelopeRequest(z.object({ reason: Reason })).openapi(
  "AdminApplicationDecisionRequest",
);

const list = adminRoute(
  { role: "viewer", action: "applications.list" },
  {
    method: "get",
    path: "/admin/v1/applications",
    operationId: "adminListApplications",
    tags: ["Applications"],
    summary: "The review queue",
    description: "Production only. Applications in `status` (default `submitted`), oldest first.",
    request: {
      query: z.object({
        status: z
          .enum(APPLICATION_STATUSES)
          .default("submitted")
          .openapi({ param: { name: "status", in: "query" } }),
        ...pageQuery,
      }),
    },
    responses: { 200: pageResponse(ReviewSchema, "A page of applications") },
  },
);

const get = adminRoute(
  { role: "viewer", action: "application.read" },
  {
    method: "get",
    path: "/admin/v1/applications/{id}",
    operationId: "adminGetApplication",
    tags: ["Applications"],
    summary: "An application, for review",
    description:
      "Production only. The registration, the checklist, documents, the approval and the whole history.",
    request: { params: IdParam },
    responses: okResponse("The application", ReviewSchema),
  },
);

const document = adminRoute(
  { role: "operator", action: "application.document.read" },
  {
    method: "get",
    path: "/admin/v1/applications/{id}/documents/{document_id}",
    operationId: "adminGetApplicationDocument",
    tags: ["Applications"],
    summary: "Download a document",
    description:
      "Production only. The bytes from private storage, as an attachment (`Content-Disposition`, `nosniff`, `no-store`); each download is audited.",
    request: {
      params: IdParam.extend({
        document_id: z.uuid().openapi({ param: { name: "document_id", in: "path" } }),
      }),
    },
    responses: {
      200: {
        description: "The document",
        content: {
          "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
          "image/png": { schema: z.string().openapi({ format: "binary" }) },
          "image/jpeg": { schema: z.string().openapi({ format: "binary" }) },
        },
      },
    },
  },
);

const changes = adminRoute(
  { role: "operator", action: "application.request_changes", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/admin/v1/applications/{id}/request-changes",
    operationId: "adminRequestApplicationChanges",
    tags: ["Applications"],
    summary: "Send a submitted application back with what to change",
    description:
      "Production only. The reason is the comment the partner reads in the application's history. A pending approval of the earlier revision can no longer apply.",
    request: { params: IdParam, ...json(CommentRequest) },
    responses: okResponse("The application, `changes_requested`", ReviewSchema),
  },
);

const rejectRoute = adminRoute(
  { role: "approver", action: "application.reject", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/admin/v1/applications/{id}/reject",
    operationId: "adminRejectApplication",
    tags: ["Applications"],
    summary: "Reject an application",
    description: "Production only. Final; the partner reads the reason and may apply again.",
    request: { params: IdParam, ...json(CommentRequest) },
    responses: okResponse("The rejected application", ReviewSchema),
  },
);

const approveRoute = adminRoute(
  {
    role: "approver",
    action: "application.approve",
    errors: ["invalid_state_transition", "approval_by_maker", "approval_expired"],
  },
  {
    method: "post",
    path: "/admin/v1/applications/{id}/approve",
    operationId: "adminApproveApplication",
    tags: ["Applications"],
    summary: "Approve production access (maker, then checker)",
    description:
      "Production only. Two different approvers: the first call proposes (202, a `production_access` change request that lapses after ADMIN_APPROVAL_TTL_HOURS), the second, by someone else, approves (200): the application is `approved` and its live partner exists in production with the approved products only. The maker approving again is 105; a lapsed proposal is 106 (propose again); a change since the proposal is 60. The partner makes its live credentials itself: nobody here sees them.",
    request: { params: IdParam, ...json(CommentRequest) },
    responses: {
      ...okResponse("Approved: the live partner exists", ReviewSchema),
      ...okResponse("Proposed: waiting for a second approver", ReviewSchema, 202),
    },
  },
);

const auditOf = (a: { status: string; revision: number }) => ({ status: a.status, revision: a.revision });

export function registerApplications(t: AdminTarget) {
  serve(t, list, async (c) => {
    const q = c.req.valid("query");
    return ok(c, await reviewQueue(c.get("services").db, q));
  });
  serve(t, get, async (c) => ok(c, await getForReview(c.get("services").db, c.req.valid("param").id)));
  serve(t, document, async (c) => {
    const { id, document_id } = c.req.valid("param");
    const { doc, body } = await documentContent(
      { db: c.get("services").db, bucket: c.env.DOCUMENTS },
      id,
      document_id,
    );
    c.set("adminAudit", { target: `${id}/${document_id}` });
    const safeName = doc.filename.replace(/[^A-Za-z0-9._ -]/g, "_");
    return c.body(body, 200, {
      "Content-Type": doc.contentType,
      "Content-Length": String(doc.size),
      "Content-Disposition": `attachment; filename="${safeName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    }) as never;
  });
  serve(t, changes, async (c) => {
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json").params;
    const { before, after } = await requestChanges(c.get("services").db, actorOf(c), id, reason);
    c.set("adminAudit", {
      partnerId: after.partner_id,
      before: auditOf(before),
      after: auditOf(after),
      reason,
    });
    return ok(c, after);
  });
  serve(t, rejectRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json").params;
    const { before, after } = await rejectApplication(c.get("services").db, actorOf(c), id, reason);
    c.set("adminAudit", {
      partnerId: after.partner_id,
      before: auditOf(before),
      after: auditOf(after),
      reason,
    });
    return ok(c, after);
  });
  serve(t, approveRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json").params;
    const outcome = await approveApplication(c.get("services"), actorOf(c), id, reason);
    const app = outcome.application;
    c.set("adminAudit", {
      partnerId: app.partner_id,
      target: id,
      after: { ...auditOf(app), outcome: outcome.kind, change_request: app.approval?.id ?? null },
      reason,
    });
    return ok(c, app, outcome.kind === "approved" ? 200 : 202);
  });
}
