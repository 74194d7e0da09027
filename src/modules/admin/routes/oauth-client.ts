import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import {
  OAUTH_CLIENT_PUT_DESCRIPTION,
  OAuthClientInput,
  OAuthClientSchema,
} from "../../oauth/schemas/oauth-client";
import { partnerRegistration, registerPartnerClient } from "../oauth-client";
import { json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { PartnerIdParam, Reason } from "./schema";

const get = adminRoute(
  { role: "viewer", action: "oauth_client.read", errors: ["oauth_client_not_registered"] },
  {
    method: "get",
    path: "/admin/v1/partners/{id}/oauth-client",
    operationId: "adminGetOAuthClient",
    tags: ["Partners"],
    summary: "A partner's registered OAuth client",
    description:
      "Its public keys (or jwks_uri), client certificate and redirect URIs, with the methods its clients may authenticate with under the contract's security profile. 404, code 250, before the first registration.",
    request: { params: PartnerIdParam },
    responses: okResponse("The registration", OAuthClientSchema),
  },
);

const put = adminRoute(
  {
    role: "operator",
    action: "oauth_client.register",
    errors: ["oauth_client_invalid", "fapi_requires_client_keys", "invalid_state_transition"],
  },
  {
    method: "put",
    path: "/admin/v1/partners/{id}/oauth-client",
    operationId: "adminPutOAuthClient",
    tags: ["Partners"],
    summary: "Register a partner's OAuth client",
    description: `On the partner's behalf, audited with the reason. ${OAUTH_CLIENT_PUT_DESCRIPTION}`,
    request: {
      params: PartnerIdParam,
      ...json(
        envelopeRequest(OAuthClientInput.extend({ reason: Reason })).openapi("AdminOAuthClientRequest"),
      ),
    },
    responses: okResponse("The registration now", OAuthClientSchema),
  },
);

export function registerOAuthClientAdmin(t: AdminTarget) {
  serve(t, get, async (c) => ok(c, await partnerRegistration(c.get("services"), c.req.valid("param").id)));
  serve(t, put, async (c) => {
    const { id } = c.req.valid("param");
    const { reason, ...input } = c.req.valid("json").params;
    c.set("adminAudit", { partnerId: id, reason });
    const { before, after } = await registerPartnerClient(c.get("services"), id, input);
    c.set("adminAudit", { partnerId: id, before, after, reason });
    return ok(c, after);
  });
}
