import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../../platform/envelope";
import { v1Route } from "../../../../platform/http/define";
import type { AppEnv } from "../../../../platform/types";
import { consentDeps } from "../../consent-gate";
import { operateConsent } from "../../consents";
import { CONSENT_STATES, ConsentIdParam, ConsentSchema, EmptyOperationRequest } from "./schema";

const route = v1Route(
  { product: "accounts", scope: "accounts:write", errors: ["invalid_state_transition"] },
  {
    method: "post",
    path: "/v1/consents/{id}/revoke",
    operationId: "revokeConsent",
    tags: ["Accounts"],
    summary: "Revoke a consent",
    description: `Withdraws a consent that awaits authorisation or is authorised: it is \`Revoked\` at once and no account call accepts it any more. A consent already Rejected, Revoked or Expired is 409 (code 60). ${CONSENT_STATES}`,
    request: {
      params: ConsentIdParam,
      body: { required: false, content: { "application/json": { schema: EmptyOperationRequest } } },
    },
    responses: okResponse("The consent, revoked", ConsentSchema),
  },
);

export function registerRevokeConsent(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const consent = await operateConsent(consentDeps(c), c.get("partner").id, id, "revoke");
    c.get("log").info("consent revoked", { consent_id: consent.id });
    return ok(c, consent);
  });
}
