import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ok, okOnce, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { createEndpoint, deleteEndpoint, getEndpoint, listEndpoints, patchEndpoint } from "../endpoints";
import { webhookDeps } from "./deps";
import {
  CreateEndpointRequest,
  EndpointIdParam,
  EndpointSchema,
  EndpointWithSecretSchema,
  UpdateEndpointRequest,
} from "./schema";

const read = { product: null, scope: "webhooks:read" } as const;
const write = { product: null, scope: "webhooks:write" } as const;

const create = v1Route(write, {
  method: "post",
  path: "/v1/webhook_endpoints",
  operationId: "createWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Create a webhook endpoint",
  description:
    "Registers a URL for signed event deliveries (Standard Webhooks). The signing secret is returned once. Production accepts only `https` URLs on public hosts.",
  request: { body: { required: true, content: { "application/json": { schema: CreateEndpointRequest } } } },
  responses: okResponse("The endpoint, with its secret", EndpointWithSecretSchema),
});

const list = v1Route(read, {
  method: "get",
  path: "/v1/webhook_endpoints",
  operationId: "listWebhookEndpoints",
  tags: ["Webhooks"],
  summary: "List webhook endpoints",
  description: "Your endpoints, newest first.",
  request: { query: z.object(pageQuery) },
  responses: { 200: pageResponse(EndpointSchema, "A page of endpoints") },
});

const get = v1Route(read, {
  method: "get",
  path: "/v1/webhook_endpoints/{id}",
  operationId: "getWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Retrieve a webhook endpoint",
  description: "One of your endpoints; never its secret.",
  request: { params: EndpointIdParam },
  responses: okResponse("The endpoint", EndpointSchema),
});

const patch = v1Route(write, {
  method: "patch",
  path: "/v1/webhook_endpoints/{id}",
  operationId: "updateWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Update a webhook endpoint",
  description: "Change its URL, event filter or description; enable or disable it.",
  request: {
    params: EndpointIdParam,
    body: { required: true, content: { "application/json": { schema: UpdateEndpointRequest } } },
  },
  responses: okResponse("The endpoint", EndpointSchema),
});

const remove = v1Route(write, {
  method: "delete",
  path: "/v1/webhook_endpoints/{id}",
  operationId: "deleteWebhookEndpoint",
  tags: ["Webhooks"],
  summary: "Delete a webhook endpoint",
  description: "Stops all deliveries to it. Its past attempts stay in the event log.",
  request: { params: EndpointIdParam },
  responses: okResponse(
    "Deleted",
    z.object({ id: z.string(), object: z.literal("webhook_endpoint"), deleted: z.literal(true) }),
  ),
});

export function registerEndpointRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(create, async (c) => {
    const { params } = c.req.valid("json");
    const made = await createEndpoint(webhookDeps(c), c.get("partner"), params);
    c.get("log").info("webhook endpoint created", { endpoint_id: made.id });
    // A replay shows the endpoint but not its secret: that is shown once.
    return okOnce(c, made, { ...made, secret: null });
  });
  app.openapi(list, async (c) =>
    ok(c, await listEndpoints(c.get("services").db, c.get("partner").id, pageOptions(c.req.valid("query")))),
  );
  app.openapi(get, async (c) =>
    ok(c, await getEndpoint(c.get("services").db, c.get("partner").id, c.req.valid("param").id)),
  );
  app.openapi(patch, async (c) => {
    const { params } = c.req.valid("json");
    const updated = await patchEndpoint(webhookDeps(c), c.get("partner").id, c.req.valid("param").id, params);
    c.get("log").info("webhook endpoint updated", { endpoint_id: updated.id });
    return ok(c, updated);
  });
  app.openapi(remove, async (c) => {
    const deleted = await deleteEndpoint(c.get("services").db, c.get("partner").id, c.req.valid("param").id);
    c.get("log").info("webhook endpoint deleted", { endpoint_id: deleted.id });
    return ok(c, deleted);
  });
}
