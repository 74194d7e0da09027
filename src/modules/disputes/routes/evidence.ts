import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { EVIDENCE_TEXT_FIELDS, EVIDENCE_TEXT_MAX } from "../model";
import { DisputeIdParam, DisputeSchema } from "../schemas/dispute";
import { acceptDispute, type EvidencePatch, updateEvidence } from "../service";
import { disputeDeps } from "./deps";

const textField = z.string().min(1).max(EVIDENCE_TEXT_MAX).nullable().optional();

const EvidenceRequest = envelopeRequest(
  z
    .object({
      product_description: textField,
      customer_name: textField,
      customer_communication: textField,
      refund_policy: textField,
      shipping_tracking_number: textField,
      uncategorized_text: textField,
      submit: z.boolean().default(false).openapi({
        description:
          "Send the evidence to the acquirer: the dispute goes `under_review` and the evidence can no longer change.",
      }),
    })
    .strict(),
).openapi("DisputeEvidenceRequest");

const evidenceRoute = v1Route(
  {
    product: "payments",
    scope: "payments:write",
    errors: ["invalid_state_transition", "dispute_evidence_empty"],
  },
  {
    method: "post",
    path: "/v1/disputes/{id}/evidence",
    operationId: "updateDisputeEvidence",
    tags: ["Payments"],
    summary: "Update or submit a dispute's evidence",
    description: `Sets the evidence's text fields (at most ${EVIDENCE_TEXT_MAX} characters each; \`null\` clears one, an absent one stays) while the dispute is \`needs_response\`. With \`submit: true\` the evidence goes to the acquirer: \`under_review\` and \`dispute.updated\`; submitting nothing at all is 422 (code 211). Any other status is 409 (code 60).`,
    request: {
      params: DisputeIdParam,
      body: { required: true, content: { "application/json": { schema: EvidenceRequest } } },
    },
    responses: okResponse("The dispute", DisputeSchema),
  },
);

const acceptRoute = v1Route(
  { product: "payments", scope: "payments:write", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/v1/disputes/{id}/accept",
    operationId: "acceptDispute",
    tags: ["Payments"],
    summary: "Accept a dispute",
    description:
      "Concedes a `needs_response` dispute: `accepted`, the held amount goes back to the cardholder's bank and `dispute.closed` is sent. Any other status is 409 (code 60).",
    request: { params: DisputeIdParam },
    responses: okResponse("The dispute", DisputeSchema),
  },
);

export function registerEvidence(app: OpenAPIHono<AppEnv>) {
  app.openapi(evidenceRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { submit, ...fields } = c.req.valid("json").params;
    const patch: EvidencePatch = {};
    for (const f of EVIDENCE_TEXT_FIELDS) if (fields[f] !== undefined) patch[f] = fields[f];
    const dispute = await updateEvidence(
      disputeDeps(c),
      c.get("partner").id,
      id,
      patch,
      submit,
      new Date().toISOString(),
    );
    c.get("log").info("dispute evidence updated", { dispute_id: id, status: dispute.status });
    return ok(c, dispute);
  });
  app.openapi(acceptRoute, async (c) => {
    const { id } = c.req.valid("param");
    const dispute = await acceptDispute(disputeDeps(c), c.get("partner").id, id, new Date().toISOString());
    c.get("log").info("dispute accepted", { dispute_id: id });
    return ok(c, dispute);
  });
}
