import type { OpenAPIHono } from "@hono/zod-openapi";
import { envelopeRequest, ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { registerClient, registrationView, requireRegistration } from "../client-registration";
import { OAUTH_CLIENT_PUT_DESCRIPTION, OAuthClientInput, OAuthClientSchema } from "../schemas/oauth-client";

const get = v1Route(
  { product: null, scope: "partner:read", errors: ["oauth_client_not_registered"] },
  {
    method: "get",
    path: "/v1/partner/oauth-client",
    operationId: "getOAuthClient",
    tags: ["Partner"],
    summary: "Your registered OAuth client",
    description:
      "The public keys, client certificate and redirect URIs your clients authenticate and are redirected with (docs: client authentication). 404, code 250, before the first registration.",
    responses: okResponse("The registration", OAuthClientSchema),
  },
);

const put = v1Route(
  { product: null, scope: "partner:write", errors: ["oauth_client_invalid", "fapi_requires_client_keys"] },
  {
    method: "put",
    path: "/v1/partner/oauth-client",
    operationId: "putOAuthClient",
    tags: ["Partner"],
    summary: "Register your OAuth client",
    description: OAUTH_CLIENT_PUT_DESCRIPTION,
    request: {
      body: {
        required: true,
        content: {
          "application/json": { schema: envelopeRequest(OAuthClientInput).openapi("OAuthClientRequest") },
        },
      },
    },
    responses: okResponse("The registration now", OAuthClientSchema),
  },
);

export function registerOAuthClientRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(get, async (c) => {
    const partner = c.get("partner");
    const row = await requireRegistration(c.get("services").db, partner.id);
    return ok(c, registrationView(row, partner.securityProfile));
  });
  app.openapi(put, async (c) => {
    const partner = c.get("partner");
    const { params } = c.req.valid("json");
    const { after } = await registerClient(c.get("services"), partner.id, params);
    c.get("log").info("oauth client registered", { partner_id: partner.id });
    return ok(c, registrationView(after, partner.securityProfile));
  });
}
