import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { pageOptions, pageQuery } from "../../../platform/http/pagination";
import { HEALTH_STATES, RECENT_ATTEMPTS, webhookHealth } from "../../webhooks/health";
import { type AdminTarget, adminRoute, serve } from "./define";

const dateTime = z.string().openapi({ format: "date-time" });
const count = z.number().int();

const EndpointHealthSchema = z
  .object({
    endpoint_id: z.string().openapi({ format: "uuid" }),
    object: z.literal("webhook_endpoint_health"),
    partner: z.object({ id: z.string().openapi({ format: "uuid" }), name: z.string() }),
    url_host: z.string().openapi({
      description: "The URL's host only: its path and query may hold the partner's own secret.",
      example: "hooks.acme.example",
    }),
    status: z.enum(["enabled", "disabled"]),
    disabled_reason: z.string().nullable(),
    failing_since: dateTime.nullable().openapi({
      description: "When its current run of failed attempts began; null once a delivery succeeds.",
    }),
    failed_deliveries: z
      .object({ last_24_hours: count, last_7_days: count })
      .openapi({ description: "Deliveries that failed for good (past their last retry, dead letters)." }),
    retrying_deliveries: count.openapi({ description: "Deliveries still pending a retry." }),
    last_status_code: count
      .nullable()
      .openapi({ description: "The latest attempt's HTTP status; null: no answer, or no attempt." }),
    recent_attempts: z
      .array(
        z.object({
          attempted_at: dateTime,
          status_code: count.nullable(),
          outcome: z.enum(["succeeded", "retry", "failed"]),
          error: z
            .string()
            .nullable()
            .openapi({ description: "`timeout`, `network: …`, `url refused: …`; null for an answer." }),
        }),
      )
      .openapi({ description: `Its latest ${RECENT_ATTEMPTS} attempts of the last 7 days, newest first.` }),
  })
  .openapi("AdminWebhookEndpointHealth");

const HealthSchema = z
  .object({
    object: z.literal("webhook_health"),
    generated_at: dateTime,
    totals: z
      .object({
        failing_endpoints: count,
        disabled_endpoints: count,
        failed_deliveries_last_24_hours: count,
        failed_deliveries_last_7_days: count,
      })
      .openapi({
        description: "Over the endpoints of every partner not offboarded, whatever `state`: not this page.",
      }),
    data: z.array(EndpointHealthSchema),
    has_more: z.boolean(),
  })
  .openapi("AdminWebhookHealth");

const health = adminRoute(
  { role: "viewer", action: "webhooks.health" },
  {
    method: "get",
    path: "/admin/v1/webhooks/health",
    operationId: "adminWebhookHealth",
    tags: ["Webhooks"],
    summary: "Webhook health across partners",
    description:
      "The endpoints worth a look, of every partner not offboarded: failing now (`failing_since`), disabled (`disabled_reason`), or with a delivery that failed for good in the last 7 days; newest endpoint first, paged. `state` narrows it to the failing or the disabled ones. `totals` counts over every such endpoint, not the page. Never a signing secret, never a URL's path.",
    request: {
      query: z.object({
        state: z
          .enum(HEALTH_STATES)
          .optional()
          .openapi({ param: { name: "state", in: "query" } }),
        ...pageQuery,
      }),
    },
    responses: okResponse("The unhealthy endpoints, a page of them, and the totals", HealthSchema),
  },
);

export function registerWebhookHealth(t: AdminTarget) {
  serve(t, health, async (c) => {
    const q = c.req.valid("query");
    return ok(
      c,
      await webhookHealth(c.get("services").db, {
        ...pageOptions(q),
        ...(q.state !== undefined ? { state: q.state } : {}),
      }),
    );
  });
}
