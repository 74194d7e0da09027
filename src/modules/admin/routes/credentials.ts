import { z } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { issueCredential, revokeCredential } from "../partners";
import { json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { Reason } from "./schema";

const CredentialSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("credential"),
    consumer_key: z.string(),
    description: z.string().nullable(),
    status: z.enum(["active", "revoked"]),
    created_at: z.string().openapi({ format: "date-time" }),
    revoked_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("AdminCredential");

const NewCredentialSchema = CredentialSchema.extend({
  consumer_secret: z.string().openapi({ description: "Shown once, in this answer only; stored as a hash." }),
}).openapi("AdminNewCredential");

const issue = adminRoute(
  { role: "operator", action: "credential.issue", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/admin/v1/partners/{id}/credentials",
    operationId: "adminIssueCredential",
    tags: ["Partners"],
    summary: "Issue a consumer key for a partner",
    description:
      "A new consumer key and secret. The secret is in this answer only: never stored in clear, never audited.",
    request: {
      params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }),
      ...json(
        envelopeRequest(
          z.object({ description: z.string().trim().min(1).max(200).nullable().optional(), reason: Reason }),
        ).openapi("AdminIssueCredentialRequest"),
      ),
    },
    responses: okResponse("The new credential, with its secret", NewCredentialSchema, 201),
  },
);

const revoke = adminRoute(
  { role: "operator", action: "credential.revoke" },
  {
    method: "delete",
    path: "/admin/v1/partners/{id}/credentials/{credential_id}",
    operationId: "adminRevokeCredential",
    tags: ["Partners"],
    summary: "Revoke a partner's consumer key",
    description:
      "The token endpoint refuses it at once in this isolate, and tokens it minted stop working within the profile cache TTL everywhere.",
    request: {
      params: z.object({
        id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
        credential_id: z.uuid().openapi({ param: { name: "credential_id", in: "path" } }),
      }),
    },
    responses: okResponse("The revoked credential", CredentialSchema),
  },
);

export function registerCredentials(t: AdminTarget) {
  serve(t, issue, async (c) => {
    const { id } = c.req.valid("param");
    const { description, reason } = c.req.valid("json").params;
    const { db, config } = c.get("services");
    c.set("adminAudit", { partnerId: id, reason });
    const created = await issueCredential(db, config, id, description ?? null);
    const { consumer_secret: _secret, ...metadata } = created;
    c.set("adminAudit", { partnerId: id, reason, target: created.id, before: null, after: metadata });
    return ok(c, { ...created, consumer_secret: created.consumer_secret ?? "" }, 201);
  });
  serve(t, revoke, async (c) => {
    const { id, credential_id } = c.req.valid("param");
    c.set("adminAudit", { partnerId: id, target: credential_id });
    const revoked = await revokeCredential(c.get("services").db, id, credential_id);
    c.set("adminAudit", {
      partnerId: id,
      target: credential_id,
      before: null,
      after: revoked,
    });
    return ok(c, revoked);
  });
}
