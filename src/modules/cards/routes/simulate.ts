import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { simulateApplication } from "../applications";
import { SANDBOX_PHYSICAL_ISSUE_SECONDS } from "../connector/sandbox";
import { cardDeps } from "./deps";
import { CardApplicationSchema, CardIdParam } from "./schema";

const route = v1Route(
  {
    product: "cards",
    scope: "cards:write",
    personalData: true,
    errors: [
      "invalid_state_transition",
      "application_not_found",
      "application_in_progress",
      "upstream_unavailable",
      "upstream_empty",
      "upstream_failed",
    ],
  },
  {
    method: "post",
    path: "/v1/sandbox/cards/applications/{id}/simulate",
    operationId: "simulateCardApplication",
    tags: ["Sandbox"],
    summary: "Issue a card application's card now",
    description: `The sandbox card system finishes an application \`in_progress\` now instead of after its delay (${SANDBOX_PHYSICAL_ISSUE_SECONDS} s for a physical card): \`completed\`, with its card and \`card_application.completed\`. A completed application is 409 (code 60); an unknown one 404 (code 1000). Sandbox only: the route does not exist in production (404, code 31), nor where the bank's card system is connected.`,
    request: { params: CardIdParam },
    responses: okResponse("The completed application", CardApplicationSchema),
  },
);

export function registerCardSandboxRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const application = await simulateApplication(cardDeps(c), c.get("partner").id, id, {
      method: c.req.method,
      path: c.req.path,
    });
    c.get("log").info("card application simulated", { application_id: application.id });
    return ok(c, application);
  });
}
