/** @jsxImportSource hono/jsx */

import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Flash, flashOf } from "../../../platform/web/answer";
import { callApi } from "../api";
import { type Attempt, type EventFilters, EventPage, EventsPage } from "../pages/events";
import type { Endpoint, EventSummary } from "../pages/webhooks";
import { formOf, frameOf, isoOf, type PortalContext, type PortalEnv, requireSession } from "./context";

async function eventPage(c: PortalContext, id: string, flash?: Flash, code: ContentfulStatusCode = 200) {
  const session = c.get("session");
  const path = `/v1/events/${encodeURIComponent(id)}`;
  const [event, attempts, endpoints] = await Promise.all([
    callApi<EventSummary & { data: unknown }>(c, session, "GET", path),
    callApi<{ data: Attempt[] }>(c, session, "GET", `${path}/attempts`),
    callApi<{ data: Endpoint[] }>(c, session, "GET", "/v1/webhook_endpoints", {
      query: new URLSearchParams({ limit: "100" }),
    }),
  ]);
  if (!event.result) {
    return c.html(
      <EventsPage {...frameOf(c, "Events")} events={[]} filters={{}} flash={flashOf(event, "")} />,
      event.status as ContentfulStatusCode,
    );
  }
  return c.html(
    <EventPage
      {...frameOf(c, `Event ${event.result.type}`)}
      event={event.result}
      attempts={attempts.result?.data ?? []}
      endpoints={endpoints.result?.data ?? []}
      {...(flash ? { flash } : {})}
    />,
    code,
  );
}

export function registerEvents(portal: Hono<PortalEnv>) {
  portal.get("/events", requireSession(), async (c) => {
    const q = c.req.query();
    const filters: EventFilters = {
      ...(q.type ? { type: q.type } : {}),
      ...(q.delivery_status ? { delivery_status: q.delivery_status } : {}),
      ...(q.created_gte ? { created_gte: q.created_gte } : {}),
      ...(q.created_lte ? { created_lte: q.created_lte } : {}),
    };
    const query = new URLSearchParams({ limit: "25" });
    if (filters.type) query.set("type", filters.type);
    if (filters.delivery_status) query.set("delivery_status", filters.delivery_status);
    const gte = isoOf(filters.created_gte);
    const lte = isoOf(filters.created_lte);
    if (gte) query.set("created[gte]", gte);
    if (lte) query.set("created[lte]", lte);
    if (q.starting_after) query.set("starting_after", q.starting_after);
    const answer = await callApi<{ data: EventSummary[]; has_more: boolean }>(
      c,
      c.get("session"),
      "GET",
      "/v1/events",
      { query },
    );
    const events = answer.result?.data ?? [];
    const last = events.at(-1);
    return c.html(
      <EventsPage
        {...frameOf(c, "Events")}
        events={events}
        filters={filters}
        {...(answer.result?.has_more && last ? { next: last.id } : {})}
        {...(answer.error ? { flash: flashOf(answer, "") } : {})}
      />,
      answer.status >= 400 ? (answer.status as ContentfulStatusCode) : 200,
    );
  });

  portal.get("/events/:id", requireSession(), (c) => eventPage(c, c.req.param("id")));

  portal.post("/events/:id/resend", requireSession(), async (c) => {
    const id = c.req.param("id");
    const form = await formOf(c);
    const answer = await callApi(c, c.get("session"), "POST", `/v1/events/${encodeURIComponent(id)}/resend`, {
      params: { endpoint_id: form.endpoint_id ?? "" },
      idempotencyKey: form.idempotency_key,
    });
    return eventPage(
      c,
      id,
      flashOf(answer, "Sent again: the new attempt appears below once the queue delivers it."),
      answer.status >= 400 ? (answer.status as ContentfulStatusCode) : 200,
    );
  });
}
