import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../../platform/envelope";
import { v1Route } from "../../../../platform/http/define";
import type { AppEnv } from "../../../../platform/types";
import { consentDeps } from "../../consent-gate";
import { getConsent } from "../../consents";
import { CONSENT_STATES, ConsentIdParam, ConsentSchema } from "./schema";

const route = v1Route(
  { product: "accounts", scope: "accounts:read" },
  {
    method: "get",
    path: "/v1/consents/{id}",
    operationId: "getConsent",
    tags: ["Accounts"],
    summary: "Retrieve a consent",
    description: `One of your consents, as it stands now. ${CONSENT_STATES}`,
    request: { params: ConsentIdParam },
    responses: okResponse("The consent", ConsentSchema),
  },
);

export function registerGetConsent(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await getConsent(consentDeps(c), c.get("partner").id, id));
  });
}
