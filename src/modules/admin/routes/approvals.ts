import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import { approve, getChangeRequest, listChangeRequests, reject } from "../approvals";
import { CHANGE_KINDS, CHANGE_STATUSES } from "../model";
import { actorOf, json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { ApproveRequest, ChangeRequestSchema, ReasonRequest } from "./schema";

const IdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });

const list = adminRoute(
  { role: "viewer", action: "approvals.list" },
  {
    method: "get",
    path: "/admin/v1/approvals",
    operationId: "adminListApprovals",
    tags: ["Approvals"],
    summary: "List change requests",
    description: "Newest first; a pending request past its expiry lists (and filters) as `expired`.",
    request: {
      query: z.object({
        status: z
          .enum(CHANGE_STATUSES)
          .optional()
          .openapi({ param: { name: "status", in: "query" } }),
        partner_id: z
          .uuid()
          .optional()
          .openapi({ param: { name: "partner_id", in: "query" } }),
        kind: z
          .enum(CHANGE_KINDS)
          .optional()
          .openapi({ param: { name: "kind", in: "query" } }),
        ...pageQuery,
      }),
    },
    responses: { 200: pageResponse(ChangeRequestSchema, "A page of change requests") },
  },
);

const get = adminRoute(
  { role: "viewer", action: "approval.read" },
  {
    method: "get",
    path: "/admin/v1/approvals/{id}",
    operationId: "adminGetApproval",
    tags: ["Approvals"],
    summary: "A change request",
    description: "What it changes, what it replaces, who proposed it, who decided it and when it expires.",
    request: { params: IdParam },
    responses: okResponse("The change request", ChangeRequestSchema),
  },
);

const approveRoute = adminRoute(
  {
    role: "approver",
    action: "approval.approve",
    errors: ["approval_by_maker", "approval_expired", "invalid_state_transition"],
  },
  {
    method: "post",
    path: "/admin/v1/approvals/{id}/approve",
    operationId: "adminApprove",
    tags: ["Approvals"],
    summary: "Approve a change request (the checker)",
    description:
      "The second approval: by an approver or admin other than the maker (105), before the first approval expires (106), once (60 when it is no longer pending). The change applies in the same D1 transaction.",
    request: { params: IdParam, ...json(ApproveRequest) },
    responses: okResponse("The applied change request", ChangeRequestSchema),
  },
);

const rejectRoute = adminRoute(
  { role: "approver", action: "approval.reject", errors: ["approval_expired", "invalid_state_transition"] },
  {
    method: "post",
    path: "/admin/v1/approvals/{id}/reject",
    operationId: "adminReject",
    tags: ["Approvals"],
    summary: "Reject a change request",
    description:
      "Any approver or admin, the maker included (a withdrawal). Nothing changes; the request is final.",
    request: { params: IdParam, ...json(ReasonRequest) },
    responses: okResponse("The rejected change request", ChangeRequestSchema),
  },
);

export function registerApprovals(t: AdminTarget) {
  serve(t, list, async (c) => {
    const q = c.req.valid("query");
    return ok(
      c,
      await listChangeRequests(c.get("services").db, {
        ...pageOptions(q),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.partner_id !== undefined ? { partnerId: q.partner_id } : {}),
        ...(q.kind !== undefined ? { kind: q.kind } : {}),
      }),
    );
  });
  serve(t, get, async (c) => ok(c, await getChangeRequest(c.get("services").db, c.req.valid("param").id)));
  serve(t, approveRoute, async (c) => {
    const { id } = c.req.valid("param");
    const reason = c.req.valid("json").params?.reason ?? null;
    const { before, after } = await approve(c.get("services"), actorOf(c), id, reason);
    c.set("adminAudit", { partnerId: after.partner_id, before, after, ...(reason ? { reason } : {}) });
    return ok(c, after);
  });
  serve(t, rejectRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json").params;
    const { before, after } = await reject(c.get("services"), actorOf(c), id, reason);
    c.set("adminAudit", { partnerId: after.partner_id, before, after, reason });
    return ok(c, after);
  });
}
