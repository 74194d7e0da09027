/** @jsxImportSource hono/jsx */
import { Layout, type PageFrame } from "../../../platform/web/layout";
import { Table } from "../../../platform/web/parts";

export interface LoggedRequest {
  id: string;
  request_id: string;
  time: string;
  method: string;
  route: string | null;
  path: string;
  product: string;
  status: number;
  error_code: number | null;
  latency_ms: number;
  idempotency_key: string | null;
  client_id: string;
  request_body?: string | null;
  response_body?: string | null;
}

export interface RequestFilters {
  outcome?: string;
  method?: string;
  product?: string;
}

export function RequestsPage(
  props: PageFrame & { requests: LoggedRequest[]; filters: RequestFilters; next?: string },
) {
  const f = props.filters;
  return (
    <Layout {...props} active="requests">
      <form method="get" action="/portal/requests" class="filters card" aria-label="Filter requests">
        <div>
          <label for="outcome">Outcome</label>
          <select id="outcome" name="outcome">
            {["", "success", "error"].map((o) => (
              <option value={o} selected={(f.outcome ?? "") === o}>
                {o || "any"}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="method">Method</label>
          <select id="method" name="method">
            {["", "GET", "POST", "PATCH", "DELETE"].map((m) => (
              <option value={m} selected={(f.method ?? "") === m}>
                {m || "any"}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary">
          Filter
        </button>
      </form>
      <Table
        caption="Recent requests, newest first"
        columns={["Time", "Method", "Path", "Status", "Code", "Latency", "Idempotency key"]}
      >
        {props.requests.map((r) => (
          <tr data-request={r.id}>
            <td>
              <a href={`/portal/requests/${r.id}`}>{r.time.replace("T", " ").slice(0, 19)}</a>
            </td>
            <td>{r.method}</td>
            <td>
              <code>{r.path}</code>
            </td>
            <td>{r.status}</td>
            <td>{r.error_code ?? "—"}</td>
            <td>{r.latency_ms} ms</td>
            <td>{r.idempotency_key ? <code>{r.idempotency_key}</code> : "—"}</td>
          </tr>
        ))}
      </Table>
      {props.next ? (
        <p>
          <a
            href={`/portal/requests?${new URLSearchParams({ ...(f as Record<string, string>), starting_after: props.next })}`}
          >
            Older requests
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

export function RequestPage(props: PageFrame & { request: LoggedRequest }) {
  const r = props.request;
  return (
    <Layout {...props} active="requests">
      <dl class="facts card">
        <dt>Request ID</dt>
        <dd>
          <code>{r.request_id}</code>
        </dd>
        <dt>Route</dt>
        <dd>
          {r.method} <code>{r.route ?? r.path}</code>
        </dd>
        <dt>Status</dt>
        <dd>
          {r.status} {r.error_code !== null ? `(code ${r.error_code})` : ""}
        </dd>
        <dt>Latency</dt>
        <dd>{r.latency_ms} ms</dd>
        <dt>Client</dt>
        <dd>
          <code>{r.client_id}</code>
        </dd>
        <dt>Idempotency key</dt>
        <dd>{r.idempotency_key ?? "—"}</dd>
      </dl>
      <h2>Request body</h2>
      <pre>
        <code id="request-body">{r.request_body ?? "(not kept)"}</code>
      </pre>
      <h2>Response body</h2>
      <pre>
        <code id="response-body">{r.response_body ?? "(not kept)"}</code>
      </pre>
    </Layout>
  );
}
