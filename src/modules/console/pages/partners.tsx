/** @jsxImportSource hono/jsx */
import { ActionForm, Layout, type PageFrame } from "../../../platform/web/layout";

export interface PartnerSummary {
  id: string;
  name: string;
  environment: string;
  status: string;
  tier: string;
  products: string[];
  created_at: string;
}

export interface PartnerDetail extends PartnerSummary {
  contract: Record<string, unknown>;
  credentials: {
    id: string;
    consumer_key: string;
    description: string | null;
    status: string;
    created_at: string;
    revoked_at: string | null;
  }[];
  usage: {
    audited_requests_today: number;
    audited_requests_last_30_days: number;
    last_audited_request_at: string | null;
    webhook_endpoints: { enabled: number; disabled: number };
  };
  pending_change_requests: number;
}

export interface AuditEntry {
  id: string;
  identity: string;
  role: string | null;
  action: string;
  target: string | null;
  partner_id: string | null;
  outcome: number;
  reason: string | null;
  created_at: string;
}

const day = (iso: string) => iso.slice(0, 16).replace("T", " ");

export function PartnersPage(
  props: PageFrame & { partners: PartnerSummary[]; query: string; status: string },
) {
  return (
    <Layout {...props} active="partners">
      <form method="get" action="/console" class="filters card" aria-label="Search partners">
        <div>
          <label for="query">Name or partner ID</label>
          <input id="query" name="query" value={props.query} />
        </div>
        <div>
          <label for="status">Status</label>
          <select id="status" name="status">
            {["", "active", "suspended", "offboarded"].map((s) => (
              <option value={s} selected={props.status === s}>
                {s || "any"}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      <div class="table-wrap">
        <table>
          <caption>Partners, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Environment</th>
              <th scope="col">Status</th>
              <th scope="col">Plan</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {props.partners.map((p) => (
              <tr data-partner={p.id}>
                <td>
                  <a href={`/console/partners/${p.id}`}>{p.name}</a>
                </td>
                <td>{p.environment}</td>
                <td>
                  <span class={`badge badge-${p.status === "active" ? "active" : "disabled"}`}>
                    {p.status}
                  </span>
                </td>
                <td>{p.tier}</td>
                <td>{day(p.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export function AuditTable(props: { entries: AuditEntry[]; caption: string }) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Outcome</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((e) => (
            <tr data-audit={e.id}>
              <td>{e.created_at.replace("T", " ").slice(0, 19)}</td>
              <td>
                {e.identity} {e.role ? `(${e.role})` : ""}
              </td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{e.target ?? "—"}</td>
              <td>{e.outcome}</td>
              <td>{e.reason ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ReasonForm(props: { action: string; csrf: string; label: string; danger?: boolean; id: string }) {
  return (
    <ActionForm action={props.action} csrf={props.csrf} label={props.label} danger={props.danger ?? false}>
      <label for={props.id}>Reason (recorded in the audit log)</label>
      <input id={props.id} name="reason" required minlength={3} maxlength={500} />
    </ActionForm>
  );
}

export function PartnerPage(
  props: PageFrame & { csrf: string; partner: PartnerDetail; audit: AuditEntry[] },
) {
  const p = props.partner;
  return (
    <Layout {...props} active="partners">
      <section class="card" aria-labelledby="partner-facts">
        <h2 id="partner-facts">{p.name}</h2>
        <dl class="facts">
          <dt>Partner ID</dt>
          <dd>
            <code>{p.id}</code>
          </dd>
          <dt>Status</dt>
          <dd>
            <span class={`badge badge-${p.status === "active" ? "active" : "disabled"}`} id="partner-status">
              {p.status}
            </span>
          </dd>
          <dt>Environment</dt>
          <dd>{p.environment}</dd>
          <dt>Plan</dt>
          <dd>{p.tier}</dd>
          <dt>Products</dt>
          <dd>{p.products.join(", ") || "none"}</dd>
          <dt>Audited requests</dt>
          <dd>
            {p.usage.audited_requests_today} today, {p.usage.audited_requests_last_30_days} in 30 days
          </dd>
          <dt>Webhook endpoints</dt>
          <dd>
            {p.usage.webhook_endpoints.enabled} enabled, {p.usage.webhook_endpoints.disabled} disabled
          </dd>
          <dt>Pending changes</dt>
          <dd>{p.pending_change_requests}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="partner-actions">
        <h2 id="partner-actions">Actions</h2>
        {p.status === "active" ? (
          <ReasonForm
            action={`/console/partners/${p.id}/suspend`}
            csrf={props.csrf}
            label="Suspend"
            danger
            id="suspend-reason"
          />
        ) : null}
        {p.status === "suspended" ? (
          <ReasonForm
            action={`/console/partners/${p.id}/reactivate`}
            csrf={props.csrf}
            label="Propose reactivation"
            id="reactivate-reason"
          />
        ) : null}
        {p.status !== "offboarded" ? (
          <ReasonForm
            action={`/console/partners/${p.id}/offboard`}
            csrf={props.csrf}
            label="Offboard"
            danger
            id="offboard-reason"
          />
        ) : null}
      </section>
      <div class="table-wrap">
        <table>
          <caption>Credentials (metadata only)</caption>
          <thead>
            <tr>
              <th scope="col">Consumer key</th>
              <th scope="col">Description</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {p.credentials.map((k) => (
              <tr>
                <td>
                  <code>{k.consumer_key}</code>
                </td>
                <td>{k.description ?? "—"}</td>
                <td>{k.status}</td>
                <td>{day(k.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Contract</h2>
      <pre>
        <code>{JSON.stringify(p.contract, null, 2)}</code>
      </pre>
      <AuditTable entries={props.audit} caption="This partner's admin audit trail" />
    </Layout>
  );
}

export function AuditPage(props: PageFrame & { entries: AuditEntry[] }) {
  return (
    <Layout {...props} active="audit">
      <AuditTable entries={props.entries} caption="Admin audit log, newest first" />
    </Layout>
  );
}
