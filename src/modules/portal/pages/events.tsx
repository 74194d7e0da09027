/** @jsxImportSource hono/jsx */
import { ActionForm, Layout, type PageFrame } from "../../../platform/web/layout";
import { Table } from "../../../platform/web/parts";
import { type Endpoint, type EventSummary, EventsTable } from "./webhooks";

export interface EventFilters {
  type?: string;
  delivery_status?: string;
  created_gte?: string;
  created_lte?: string;
}

export function EventsPage(
  props: PageFrame & { events: EventSummary[]; filters: EventFilters; next?: string },
) {
  const f = props.filters;
  const nextQuery = props.next
    ? new URLSearchParams({ ...(f as Record<string, string>), starting_after: props.next }).toString()
    : "";
  return (
    <Layout {...props} active="events">
      <form method="get" action="/portal/events" class="filters card" aria-label="Filter events">
        <div>
          <label for="type">Type</label>
          <input id="type" name="type" value={f.type ?? ""} placeholder="payment.captured" />
        </div>
        <div>
          <label for="delivery_status">Delivery</label>
          <select id="delivery_status" name="delivery_status">
            {["", "none", "pending", "failed", "succeeded"].map((s) => (
              <option value={s} selected={(f.delivery_status ?? "") === s}>
                {s || "any"}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="created_gte">From (UTC)</label>
          <input id="created_gte" name="created_gte" type="datetime-local" value={f.created_gte ?? ""} />
        </div>
        <div>
          <label for="created_lte">To (UTC)</label>
          <input id="created_lte" name="created_lte" type="datetime-local" value={f.created_lte ?? ""} />
        </div>
        <button type="submit" class="primary">
          Filter
        </button>
      </form>
      <EventsTable events={props.events} caption="Events, newest first" />
      {props.next ? (
        <p>
          <a href={`/portal/events?${nextQuery}`}>Older events</a>
        </p>
      ) : null}
    </Layout>
  );
}

export interface Attempt {
  id: string;
  endpoint_id: string;
  attempted_at: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  outcome: string;
  next_retry_at: string | null;
}

export function EventPage(
  props: PageFrame & {
    csrf: string;
    writable: boolean;
    event: EventSummary & { data: unknown };
    attempts: Attempt[];
    endpoints: Endpoint[];
  },
) {
  const ev = props.event;
  return (
    <Layout {...props} active="events">
      <dl class="facts card">
        <dt>Type</dt>
        <dd>{ev.type}</dd>
        <dt>Created</dt>
        <dd>{ev.created_at}</dd>
        <dt>Delivery</dt>
        <dd>
          <span class={`badge badge-${ev.delivery_status}`}>{ev.delivery_status}</span>
        </dd>
      </dl>
      <h2>Data</h2>
      <pre>
        <code>{JSON.stringify(ev.data, null, 2)}</code>
      </pre>
      <Table
        caption="Delivery attempts"
        columns={["When", "Endpoint", "HTTP status", "Latency", "Outcome", "Next retry"]}
      >
        {props.attempts.map((a) => (
          <tr data-attempt={a.id}>
            <td>{a.attempted_at.replace("T", " ").slice(0, 19)}</td>
            <td>
              <a href={`/portal/webhooks/${a.endpoint_id}`}>
                <code>{a.endpoint_id.slice(-12)}</code>
              </a>
            </td>
            <td>{a.status_code ?? a.error ?? "—"}</td>
            <td>{a.latency_ms} ms</td>
            <td>
              <span class={`badge badge-${a.outcome}`}>{a.outcome}</span>
            </td>
            <td>{a.next_retry_at ?? "—"}</td>
          </tr>
        ))}
      </Table>
      {props.attempts.length === 0 ? <p>No delivery attempt yet.</p> : null}
      {props.writable && props.endpoints.length > 0 ? (
        <section class="card" aria-labelledby="resend">
          <h2 id="resend">Resend</h2>
          <ActionForm action={`/portal/events/${ev.id}/resend`} csrf={props.csrf} label="Resend">
            <label for="endpoint_id">To endpoint</label>
            <select id="endpoint_id" name="endpoint_id">
              {props.endpoints.map((e) => (
                <option value={e.id}>{e.url}</option>
              ))}
            </select>
          </ActionForm>
        </section>
      ) : null}
    </Layout>
  );
}
