/** @jsxImportSource hono/jsx */
import { ActionForm, Layout, type PageFrame, ShownOnce } from "../../../platform/web/layout";
import { Table } from "../../../platform/web/parts";

export interface Endpoint {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  status: "enabled" | "disabled";
  disabled_reason: string | null;
  api_version: string;
  created_at: string;
}

export function EndpointsPage(
  props: PageFrame & {
    csrf: string;
    endpoints: Endpoint[];
    writable: boolean;
    secret?: { endpoint: string; value: string };
  },
) {
  return (
    <Layout {...props} active="webhooks">
      {props.secret ? (
        <section class="card" aria-label="New endpoint">
          <ShownOnce
            id="endpoint-secret"
            label={`Signing secret of ${props.secret.endpoint}`}
            value={props.secret.value}
          />
        </section>
      ) : null}
      <Table caption="Webhook endpoints" columns={["URL", "Events", "Status", "Created"]}>
        {props.endpoints.map((e) => (
          <tr data-endpoint={e.id}>
            <td>
              <a href={`/portal/webhooks/${e.id}`}>{e.url}</a>
              {e.description ? <div class="hint">{e.description}</div> : null}
            </td>
            <td>{e.events.length ? e.events.join(", ") : "all"}</td>
            <td>
              <span class={`badge badge-${e.status}`}>{e.status}</span>
              {e.disabled_reason ? <div class="hint">{e.disabled_reason}</div> : null}
            </td>
            <td>{e.created_at.slice(0, 16).replace("T", " ")}</td>
          </tr>
        ))}
      </Table>
      {props.endpoints.length === 0 ? <p>No endpoint yet: add one below to receive events.</p> : null}
      {props.writable ? (
        <section class="card" aria-labelledby="add-endpoint">
          <h2 id="add-endpoint">Add an endpoint</h2>
          <ActionForm action="/portal/webhooks" csrf={props.csrf} label="Add endpoint">
            <label for="url">URL</label>
            <input
              id="url"
              name="url"
              type="url"
              required
              maxlength={2048}
              placeholder="https://hooks.example.com/portico"
            />
            <label for="events">Event types (comma-separated; empty: all)</label>
            <input id="events" name="events" placeholder="payment.captured, payout.paid" />
            <label for="description">Description (optional)</label>
            <input id="description" name="description" maxlength={200} />
          </ActionForm>
        </section>
      ) : null}
    </Layout>
  );
}

export interface EventSummary {
  id: string;
  type: string;
  created_at: string;
  delivery_status: string;
}

export function EndpointPage(
  props: PageFrame & {
    csrf: string;
    endpoint: Endpoint;
    writable: boolean;
    events: EventSummary[];
    secret?: string;
  },
) {
  const e = props.endpoint;
  return (
    <Layout {...props} active="webhooks">
      {props.secret ? (
        <section class="card" aria-label="New signing secret">
          <ShownOnce id="endpoint-secret" label="New signing secret" value={props.secret} />
        </section>
      ) : null}
      <section class="card" aria-labelledby="endpoint-facts">
        <h2 id="endpoint-facts">{e.url}</h2>
        <dl class="facts">
          <dt>ID</dt>
          <dd>
            <code>{e.id}</code>
          </dd>
          <dt>Status</dt>
          <dd>
            <span class={`badge badge-${e.status}`}>{e.status}</span> {e.disabled_reason ?? ""}
          </dd>
          <dt>Events</dt>
          <dd>{e.events.length ? e.events.join(", ") : "all"}</dd>
          <dt>API version</dt>
          <dd>{e.api_version}</dd>
        </dl>
      </section>
      {props.writable ? (
        <section class="card" aria-labelledby="endpoint-actions">
          <h2 id="endpoint-actions">Actions</h2>
          <ActionForm
            action={`/portal/webhooks/${e.id}/test`}
            csrf={props.csrf}
            label="Send test ping"
            inline
          />
          <ActionForm
            action={`/portal/webhooks/${e.id}/rotate`}
            csrf={props.csrf}
            label="Rotate signing secret"
            inline
          />
          <ActionForm
            action={`/portal/webhooks/${e.id}/status`}
            csrf={props.csrf}
            label={e.status === "enabled" ? "Disable" : "Enable"}
            danger={e.status === "enabled"}
            inline
          >
            <input type="hidden" name="status" value={e.status === "enabled" ? "disabled" : "enabled"} />
          </ActionForm>
          <ActionForm
            action={`/portal/webhooks/${e.id}/recover`}
            csrf={props.csrf}
            label="Resend failed since"
          >
            <label for="since">Failed deliveries since (UTC)</label>
            <input id="since" name="since" type="datetime-local" required />
          </ActionForm>
        </section>
      ) : null}
      <EventsTable events={props.events} caption="Recent events" />
    </Layout>
  );
}

export function EventsTable(props: { events: EventSummary[]; caption: string }) {
  return (
    <Table caption={`${props.caption}`} columns={["Event", "Type", "Delivery", "Created"]}>
      {props.events.map((ev) => (
        <tr data-event={ev.id}>
          <td>
            <a href={`/portal/events/${ev.id}`}>
              <code>{ev.id}</code>
            </a>
          </td>
          <td>{ev.type}</td>
          <td>
            <span class={`badge badge-${ev.delivery_status}`}>{ev.delivery_status}</span>
          </td>
          <td>{ev.created_at.replace("T", " ").slice(0, 19)}</td>
        </tr>
      ))}
    </Table>
  );
}
