import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { createApplication, getApplication } from "../applications";
import { cardDeps } from "./deps";
import { CardApplicationSchema, CardIdParam, CreateCardApplicationRequest } from "./schema";

const createRoute = v1Route(
  {
    product: "cards",
    scope: "cards:write",
    personalData: true,
    errors: ["application_in_progress", "upstream_unavailable", "upstream_empty", "upstream_failed"],
  },
  {
    method: "post",
    path: "/v1/cards/applications",
    operationId: "createCardApplication",
    tags: ["Cards"],
    summary: "Order a card",
    description:
      "Orders a virtual or physical card for an applicant. The answer is the application: `completed` with its card when the card system issued it at once (a virtual card, usually), else `in_progress` (a physical card is being produced). Events `card_application.created` and, once issued, `card_application.completed`. Requires an Idempotency-Key; a retry resumes the same application.",
    request: {
      body: { required: true, content: { "application/json": { schema: CreateCardApplicationRequest } } },
    },
    responses: okResponse("The application", CardApplicationSchema),
  },
);

const getRoute = v1Route(
  {
    product: "cards",
    scope: "cards:read",
    personalData: true,
    // An application in progress is asked about at the card system on every read.
    errors: [
      "application_not_found",
      "application_in_progress",
      "upstream_unavailable",
      "upstream_empty",
      "upstream_failed",
    ],
  },
  {
    method: "get",
    path: "/v1/cards/applications/{id}",
    operationId: "getCardApplication",
    tags: ["Cards"],
    summary: "Retrieve a card application",
    description:
      "A completed application with its card. As in the bank's contract: an unknown application (or another partner's) is 404 with code 1000, and one the card system is still working on is 409 with code 1001 — ask again later, or listen for `card_application.completed`.",
    request: { params: CardIdParam },
    responses: okResponse("The completed application and its card", CardApplicationSchema),
  },
);

export function registerCardApplicationRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(createRoute, async (c) => {
    const { params } = c.req.valid("json");
    const application = await createApplication(cardDeps(c), c.get("partner"), c.get("idempotencyKey"), {
      type: params.type,
      currency: params.currency,
      applicant: { ...params.applicant, address: params.applicant.address ?? null },
      metadata: params.metadata,
    });
    c.get("log").info("card application created", {
      application_id: application.id,
      status: application.status,
    });
    return ok(c, application);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await getApplication(cardDeps(c), c.get("partner").id, id));
  });
}
