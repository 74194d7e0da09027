import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { EVENT_TYPES } from "../../../platform/events/events";
import { v1Route } from "../../../platform/http/define";
import { optionalParams } from "../../../platform/http/optional-body";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { getEvent, listAttempts, listEvents, resendEvent } from "../event-log";
import { webhookDeps } from "./deps";

const DELIVERY_STATUSES = ["none", "pending", "failed", "succeeded"] as const;

export const EventSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("event"),
    type: z.enum(EVENT_TYPES),
    created_at: z.string().openapi({ format: "date-time" }),
    livemode: z.boolean(),
    data: z.object({ object: z.record(z.string(), z.unknown()) }),
    delivery_status: z.enum(DELIVERY_STATUSES).openapi({
      description:
        "none: no endpoint took it; pending: a delivery is under way; failed: one gave up; succeeded: all delivered.",
    }),
  })
  .openapi("Event");

const AttemptSchema = z
  .object({
    id: z.string(),
    object: z.literal("webhook_attempt"),
    event_id: z.string(),
    endpoint_id: z.string(),
    attempted_at: z.string().openapi({ format: "date-time" }),
    status_code: z.number().int().nullable(),
    latency_ms: z.number().int(),
    response_excerpt: z.string().nullable(),
    error: z.string().nullable(),
    outcome: z.enum(["succeeded", "retry", "failed"]),
    next_retry_at: z.string().nullable(),
  })
  .openapi("WebhookAttempt");

const query = (name: string) => ({ param: { name, in: "query" as const } });
const ListQuery = z.object({
  type: z.enum(EVENT_TYPES).optional().openapi(query("type")),
  "created[gte]": z.iso.datetime({ offset: true }).optional().openapi(query("created[gte]")),
  "created[lte]": z.iso.datetime({ offset: true }).optional().openapi(query("created[lte]")),
  delivery_status: z.enum(DELIVERY_STATUSES).optional().openapi(query("delivery_status")),
  ...pageQuery,
});
const EventIdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
const ResendRequest = z
  .object({
    id: z.uuid().optional(),
    params: z
      .object({
        endpoint_id: z
          .uuid()
          .optional()
          .openapi({ description: "Only to this endpoint; default: every subscribed one." }),
      })
      .default({}),
  })
  .openapi("ResendEventRequest");

const read = { product: null, scope: "events:read" } as const;

const list = v1Route(read, {
  method: "get",
  path: "/v1/events",
  operationId: "listEvents",
  tags: ["Events"],
  summary: "List events",
  description:
    "Your events, newest first: what webhooks deliver. Filter by `type`, `created[gte]`, `created[lte]` and `delivery_status`. Delivery is at-least-once and unordered; dedupe on the event id (`webhook-id`).",
  request: { query: ListQuery },
  responses: { 200: pageResponse(EventSchema, "A page of events") },
});

const get = v1Route(read, {
  method: "get",
  path: "/v1/events/{id}",
  operationId: "getEvent",
  tags: ["Events"],
  summary: "Retrieve an event",
  description: "One of your events, with its delivery status.",
  request: { params: EventIdParam },
  responses: okResponse("The event", EventSchema),
});

const attempts = v1Route(read, {
  method: "get",
  path: "/v1/events/{id}/attempts",
  operationId: "listEventAttempts",
  tags: ["Events"],
  summary: "List an event's delivery attempts",
  description:
    "Every attempt to every endpoint: time, status code, latency, a response excerpt, error, next retry.",
  request: { params: EventIdParam },
  responses: { 200: pageResponse(AttemptSchema, "The attempts, oldest first") },
});

const resend = v1Route(
  { product: null, scope: "webhooks:write" },
  {
    method: "post",
    path: "/v1/events/{id}/resend",
    operationId: "resendEvent",
    tags: ["Events"],
    summary: "Resend an event",
    description:
      "Delivers the event again, with a fresh retry schedule, to one endpoint or to every endpoint subscribed to it.",
    request: {
      params: EventIdParam,
      body: { required: false, content: { "application/json": { schema: ResendRequest } } },
    },
    responses: okResponse(
      "How many deliveries were sent",
      z.object({ object: z.literal("resend"), event_id: z.string(), deliveries: z.number().int() }),
    ),
  },
);

export function registerEventRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(list, async (c) => {
    const q = c.req.valid("query");
    const filter = {
      ...pageOptions(q),
      ...(q.type !== undefined ? { type: q.type } : {}),
      ...(q["created[gte]"] !== undefined ? { createdGte: new Date(q["created[gte]"]).toISOString() } : {}),
      ...(q["created[lte]"] !== undefined ? { createdLte: new Date(q["created[lte]"]).toISOString() } : {}),
      ...(q.delivery_status !== undefined ? { deliveryStatus: q.delivery_status } : {}),
    };
    return ok(c, await listEvents(c.get("services").db, c.get("partner").id, filter));
  });
  app.openapi(get, async (c) =>
    ok(c, await getEvent(c.get("services").db, c.get("partner").id, c.req.valid("param").id)),
  );
  app.openapi(attempts, async (c) =>
    ok(c, await listAttempts(c.get("services").db, c.get("partner").id, c.req.valid("param").id)),
  );
  app.openapi(resend, async (c) => {
    const { endpoint_id } = optionalParams(c.req.valid("json"));
    return ok(
      c,
      await resendEvent(webhookDeps(c), c.get("partner").id, c.req.valid("param").id, endpoint_id),
    );
  });
}
