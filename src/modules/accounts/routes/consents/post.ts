import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../../platform/envelope";
import { v1Route } from "../../../../platform/http/define";
import type { AppEnv } from "../../../../platform/types";
import { consentDeps } from "../../consent-gate";
import { createConsent } from "../../consents";
import { CONSENT_STATES, ConsentSchema, CreateConsentRequest } from "./schema";

const route = v1Route(
  { product: "accounts", scope: "accounts:write" },
  {
    method: "post",
    path: "/v1/consents",
    operationId: "createConsent",
    tags: ["Accounts"],
    summary: "Create a consent",
    description: `Asks a customer for access to their accounts: the consent starts \`AwaitingAuthorisation\`, with the \`authorisation_url\` to send the customer to. ${CONSENT_STATES} Requires an Idempotency-Key.`,
    request: { body: { required: true, content: { "application/json": { schema: CreateConsentRequest } } } },
    responses: okResponse("The consent, awaiting authorisation", ConsentSchema),
  },
);

export function registerCreateConsent(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { params } = c.req.valid("json");
    const consent = await createConsent(consentDeps(c), c.get("partner"), c.get("idempotencyKey"), params);
    c.get("log").info("consent created", { consent_id: consent.id });
    return ok(c, consent);
  });
}
