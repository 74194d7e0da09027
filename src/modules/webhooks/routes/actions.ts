import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ok, okOnce, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { pingEndpoint, recoverEndpoint, rotateSecret } from "../endpoints";
import { webhookDeps } from "./deps";
import { EndpointIdParam, EndpointWithSecretSchema, RecoverRequest } from "./schema";

const write = { product: null, scope: "webhooks:write" } as const;

const rotate = v1Route(write, {
  method: "post",
  path: "/v1/webhook_endpoints/{id}/rotate_secret",
  operationId: "rotateWebhookEndpointSecret",
  tags: ["Webhooks"],
  summary: "Rotate an endpoint's signing secret",
  description:
    "Issues a new secret, returned once. For 24 h the old secret signs too: each delivery carries both signatures, so your receiver can switch at its own pace.",
  request: { params: EndpointIdParam },
  responses: okResponse("The endpoint, with its new secret", EndpointWithSecretSchema),
});

const test = v1Route(write, {
  method: "post",
  path: "/v1/webhook_endpoints/{id}/test",
  operationId: "testWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Send a test event",
  description:
    "Sends a signed `ping` event to this endpoint only; it appears in the event log with its attempts.",
  request: { params: EndpointIdParam },
  responses: okResponse(
    "The ping event",
    z.object({ id: z.string(), object: z.literal("event"), type: z.literal("ping"), created_at: z.string() }),
  ),
});

const recover = v1Route(write, {
  method: "post",
  path: "/v1/webhook_endpoints/{id}/recover",
  operationId: "recoverWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Re-send failed deliveries",
  description:
    "Sends again, with a fresh retry schedule, every delivery to this endpoint that failed since `since`.",
  request: {
    params: EndpointIdParam,
    body: { required: true, content: { "application/json": { schema: RecoverRequest } } },
  },
  responses: okResponse(
    "How many deliveries were sent again",
    z.object({
      object: z.literal("recovery"),
      endpoint_id: z.string(),
      since: z.string(),
      deliveries: z.number().int(),
    }),
  ),
});

export function registerEndpointActions(app: OpenAPIHono<AppEnv>) {
  app.openapi(rotate, async (c) => {
    const rotated = await rotateSecret(webhookDeps(c), c.get("partner").id, c.req.valid("param").id);
    c.get("log").info("webhook secret rotated", { endpoint_id: rotated.id });
    return okOnce(c, rotated, { ...rotated, secret: null });
  });
  app.openapi(test, async (c) => {
    return ok(c, await pingEndpoint(webhookDeps(c), c.get("partner").id, c.req.valid("param").id));
  });
  app.openapi(recover, async (c) => {
    const { params } = c.req.valid("json");
    const id = c.req.valid("param").id;
    return ok(c, await recoverEndpoint(webhookDeps(c), c.get("partner").id, id, params.since));
  });
}
