import { ok, okResponse } from "../../../platform/envelope";
import { changeContract } from "../approvals";
import { actorOf, json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { ChangeRequestSchema, ContractChangeSchema, ContractPatchRequest, PartnerIdParam } from "./schema";

const route = adminRoute(
  {
    role: "operator",
    action: "contract.change",
    errors: ["invalid_state_transition", "fapi_requires_client_keys"],
  },
  {
    method: "patch",
    path: "/admin/v1/partners/{id}/contract",
    operationId: "adminChangeContract",
    tags: ["Partners"],
    summary: "Change a partner's contract",
    description:
      'Only the members given change, checked against the catalogue. A change that only narrows (products, scopes, data access or origins removed, a lower tier, rate or quota) applies at once (200) and bites within the profile cache TTL; so does a move to the FAPI profile (`security_profile: "fapi"`, which needs the partner\'s registered client to hold keys or a certificate: 400, code 252, otherwise). One that widens anything (back to the `standard` profile, the password grant turned on) or changes fees needs two approvers: it is proposed as a change request (202, approver role or higher) and applies when a different approver approves it.',
    request: { params: PartnerIdParam, ...json(ContractPatchRequest) },
    responses: {
      ...okResponse("Applied at once: the contract now", ContractChangeSchema),
      ...okResponse("Proposed: the change request waiting for its second approver", ChangeRequestSchema, 202),
    },
  },
);

export function registerContractChange(t: AdminTarget) {
  serve(t, route, async (c) => {
    const { id } = c.req.valid("param");
    const { reason, ...patch } = c.req.valid("json").params;
    const outcome = await changeContract(c.get("services"), actorOf(c), id, patch, reason);
    if (outcome.kind === "proposed") {
      c.set("adminAudit", { partnerId: id, before: null, after: outcome.request, reason });
      return ok(c, outcome.request, 202);
    }
    c.set("adminAudit", { partnerId: id, before: outcome.before, after: outcome.after, reason });
    return ok(c, { object: "contract" as const, partner_id: id, contract: outcome.contract }, 200);
  });
}
