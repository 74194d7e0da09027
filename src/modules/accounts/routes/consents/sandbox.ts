import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../../platform/envelope";
import { SANDBOX_ONLY, v1Route } from "../../../../platform/http/define";
import type { AppEnv } from "../../../../platform/types";
import { SANDBOX_CUSTOMER_REF } from "../../connector/sandbox-data";
import { consentDeps } from "../../consent-gate";
import { operateConsent } from "../../consents";
import { CONSENT_STATES, ConsentIdParam, ConsentSchema, EmptyOperationRequest } from "./schema";

const answers = [
  {
    operation: "authorise",
    operationId: "authoriseConsent",
    summary: "Simulate the customer authorising a consent",
    description:
      "The sandbox customer (who holds the sandbox's two accounts) authorises a consent awaiting authorisation: it becomes `Authorised` and `consent.authorised` is published.",
  },
  {
    operation: "reject",
    operationId: "rejectConsent",
    summary: "Simulate the customer refusing a consent",
    description: "The customer refuses a consent awaiting authorisation: it becomes `Rejected`, for good.",
  },
] as const;

export function registerConsentSandboxRoutes(app: OpenAPIHono<AppEnv>) {
  for (const answer of answers) {
    const route = v1Route(
      { product: "accounts", scope: "accounts:write", errors: ["invalid_state_transition"] },
      {
        method: "post",
        path: `/v1/sandbox/consents/{id}/${answer.operation}`,
        operationId: answer.operationId,
        tags: ["Sandbox"],
        summary: answer.summary,
        description: `${answer.description} Any other status is 409 (code 60). ${CONSENT_STATES} ${SANDBOX_ONLY}`,
        request: {
          params: ConsentIdParam,
          body: { required: false, content: { "application/json": { schema: EmptyOperationRequest } } },
        },
        responses: okResponse("The consent", ConsentSchema),
      },
    );
    app.openapi(route, async (c) => {
      const { id } = c.req.valid("param");
      const deps = consentDeps(c);
      const consent = await operateConsent(
        deps,
        c.get("partner").id,
        id,
        answer.operation,
        SANDBOX_CUSTOMER_REF,
      );
      c.get("log").info("consent simulated", { consent_id: consent.id, status: consent.status });
      return ok(c, consent);
    });
  }
}
