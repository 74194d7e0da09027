/** @jsxImportSource hono/jsx */

import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Flash, flashOf, statusOf } from "../../../platform/web/answer";
import { callApi } from "../api";
import { type Endpoint, EndpointPage, EndpointsPage, type EventSummary } from "../pages/webhooks";
import { formOf, frameOf, isoOf, type PortalContext, type PortalEnv, requireSession } from "./context";

async function listPage(
  c: PortalContext,
  extra: { flash?: Flash; secret?: { endpoint: string; value: string } } = {},
  code: ContentfulStatusCode = 200,
) {
  const listed = await callApi<{ data: Endpoint[] }>(c, c.get("session"), "GET", "/v1/webhook_endpoints", {
    query: new URLSearchParams({ limit: "100" }),
  });
  return c.html(
    <EndpointsPage {...frameOf(c, "Webhooks")} endpoints={listed.result?.data ?? []} {...extra} />,
    code,
  );
}

async function endpointPage(
  c: PortalContext,
  id: string,
  extra: { flash?: Flash; secret?: string } = {},
  code: ContentfulStatusCode = 200,
) {
  const session = c.get("session");
  const [endpoint, events] = await Promise.all([
    callApi<Endpoint>(c, session, "GET", `/v1/webhook_endpoints/${encodeURIComponent(id)}`),
    callApi<{ data: EventSummary[] }>(c, session, "GET", "/v1/events", {
      query: new URLSearchParams({ limit: "20" }),
    }),
  ]);
  if (!endpoint.result) return listPage(c, { flash: flashOf(endpoint, "") }, statusOf(endpoint));
  return c.html(
    <EndpointPage
      {...frameOf(c, "Webhook endpoint")}
      endpoint={endpoint.result}
      events={events.result?.data ?? []}
      {...extra}
    />,
    code,
  );
}

export function registerWebhooks(portal: Hono<PortalEnv>) {
  portal.get("/webhooks", requireSession(), (c) => listPage(c));

  portal.post("/webhooks", requireSession(), async (c) => {
    const form = await formOf(c);
    const events = (form.events ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const answer = await callApi<Endpoint & { secret: string | null }>(
      c,
      c.get("session"),
      "POST",
      "/v1/webhook_endpoints",
      {
        params: {
          url: form.url ?? "",
          ...(events.length ? { events } : {}),
          ...(form.description?.trim() ? { description: form.description.trim() } : {}),
        },
        idempotencyKey: form.idempotency_key,
      },
    );
    const created = answer.result;
    return listPage(
      c,
      {
        flash: flashOf(answer, `Endpoint ${created?.url} added.`),
        ...(created?.secret ? { secret: { endpoint: created.url, value: created.secret } } : {}),
      },
      statusOf(answer),
    );
  });

  portal.get("/webhooks/:id", requireSession(), (c) => endpointPage(c, c.req.param("id")));

  portal.post("/webhooks/:id/test", requireSession(), async (c) => {
    const id = c.req.param("id");
    const form = await formOf(c);
    const answer = await callApi(
      c,
      c.get("session"),
      "POST",
      `/v1/webhook_endpoints/${encodeURIComponent(id)}/test`,
      {
        idempotencyKey: form.idempotency_key,
      },
    );
    return endpointPage(
      c,
      id,
      { flash: flashOf(answer, "Test ping sent: it appears below as a ping event.") },
      statusOf(answer),
    );
  });

  portal.post("/webhooks/:id/rotate", requireSession(), async (c) => {
    const id = c.req.param("id");
    const form = await formOf(c);
    const answer = await callApi<{ secret: string | null }>(
      c,
      c.get("session"),
      "POST",
      `/v1/webhook_endpoints/${encodeURIComponent(id)}/rotate_secret`,
      {
        idempotencyKey: form.idempotency_key,
      },
    );
    const secret = answer.result?.secret ?? undefined;
    return endpointPage(
      c,
      id,
      { flash: flashOf(answer, "Signing secret rotated."), ...(secret ? { secret } : {}) },
      statusOf(answer),
    );
  });

  portal.post("/webhooks/:id/status", requireSession(), async (c) => {
    const id = c.req.param("id");
    const form = await formOf(c);
    const answer = await callApi<Endpoint>(
      c,
      c.get("session"),
      "PATCH",
      `/v1/webhook_endpoints/${encodeURIComponent(id)}`,
      {
        params: { status: form.status },
      },
    );
    return endpointPage(
      c,
      id,
      { flash: flashOf(answer, `Endpoint ${answer.result?.status ?? ""}.`) },
      statusOf(answer),
    );
  });

  portal.post("/webhooks/:id/recover", requireSession(), async (c) => {
    const id = c.req.param("id");
    const form = await formOf(c);
    const answer = await callApi<{ resent?: number }>(
      c,
      c.get("session"),
      "POST",
      `/v1/webhook_endpoints/${encodeURIComponent(id)}/recover`,
      {
        params: { since: isoOf(form.since) ?? form.since ?? "" },
        idempotencyKey: form.idempotency_key,
      },
    );
    return endpointPage(
      c,
      id,
      { flash: flashOf(answer, `Failed deliveries sent again: ${JSON.stringify(answer.result ?? {})}.`) },
      statusOf(answer),
    );
  });
}
