import { ok, okResponse } from "../../../platform/envelope";
import { proposeReactivation } from "../approvals";
import { offboardPartner, suspendPartner } from "../partners";
import { actorOf, json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { ChangeRequestSchema, PartnerIdParam, PartnerStatusChangeSchema, ReasonRequest } from "./schema";

const suspend = adminRoute(
  { role: "operator", action: "partner.suspend", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/admin/v1/partners/{id}/suspend",
    operationId: "adminSuspendPartner",
    tags: ["Partners"],
    summary: "Suspend a partner",
    description:
      "At once, with one operator: its tokens are refused (code 14) and the token endpoint refuses it, in this isolate at once and everywhere within the profile cache TTL.",
    request: { params: PartnerIdParam, ...json(ReasonRequest) },
    responses: okResponse("The partner's status now", PartnerStatusChangeSchema),
  },
);

const reactivate = adminRoute(
  { role: "approver", action: "partner.reactivate", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/admin/v1/partners/{id}/reactivate",
    operationId: "adminReactivatePartner",
    tags: ["Partners"],
    summary: "Propose reactivating a suspended partner",
    description:
      "Reactivation needs two approvers: this proposes it (the first approval) and a different approver approves it through `POST /admin/v1/approvals/{id}/approve`.",
    request: { params: PartnerIdParam, ...json(ReasonRequest) },
    responses: okResponse("The change request", ChangeRequestSchema, 202),
  },
);

const offboard = adminRoute(
  { role: "approver", action: "partner.offboard", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/admin/v1/partners/{id}/offboard",
    operationId: "adminOffboardPartner",
    tags: ["Partners"],
    summary: "Offboard a partner",
    description:
      "Final: every credential revoked, every webhook endpoint disabled, status `offboarded`. Nothing is deleted: its payments, ledger, events and audit trail are kept for the retention period.",
    request: { params: PartnerIdParam, ...json(ReasonRequest) },
    responses: okResponse(
      "The partner's status now, with what was revoked and disabled",
      PartnerStatusChangeSchema,
    ),
  },
);

export function registerStatusChanges(t: AdminTarget) {
  serve(t, suspend, async (c) => {
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json").params;
    c.set("adminAudit", { partnerId: id, reason });
    const { before, after } = await suspendPartner(c.get("services").db, id);
    c.set("adminAudit", { partnerId: id, reason, before, after });
    return ok(c, after);
  });
  serve(t, reactivate, async (c) => {
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json").params;
    c.set("adminAudit", { partnerId: id, reason });
    const request = await proposeReactivation(c.get("services"), actorOf(c), id, reason);
    c.set("adminAudit", { partnerId: id, reason, before: null, after: request });
    return ok(c, request, 202);
  });
  serve(t, offboard, async (c) => {
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json").params;
    c.set("adminAudit", { partnerId: id, reason });
    const { before, after } = await offboardPartner(c.get("services").db, id);
    c.set("adminAudit", { partnerId: id, reason, before, after });
    return ok(c, after);
  });
}
