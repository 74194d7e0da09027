/** @jsxImportSource hono/jsx */
import { CHART_ASSETS, DayCharts } from "../../../platform/web/charts";
import { ActionForm, Layout, type PageFrame } from "../../../platform/web/layout";
import { Filters, Select, Table } from "../../../platform/web/parts";
import type { SlaReport } from "../../billing/sla/report";
import { SlaTable } from "../../billing/sla/view";
import { type AuditEntry, AuditTable } from "./audit";
import { minute } from "./format";
import {
  type Contract,
  ContractFacts,
  type Credential,
  CredentialsTable,
  type PartnerUsage,
  UsageTable,
} from "./partner-parts";

export type { AuditEntry, PartnerUsage };

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
  contract: Contract;
  credentials: Credential[];
  usage: {
    audited_requests_today: number;
    audited_requests_last_30_days: number;
    last_audited_request_at: string | null;
    webhook_endpoints: { enabled: number; disabled: number };
  };
  pending_change_requests: number;
}

const statusBadge = (status: string, id?: string) => (
  <span class={`badge badge-${status === "active" ? "active" : "disabled"}`} {...(id ? { id } : {})}>
    {status}
  </span>
);

export function PartnersPage(
  props: PageFrame & { partners: PartnerSummary[]; query: string; status: string },
) {
  return (
    <Layout {...props} active="partners">
      <Filters action="/console" label="Search partners" button="Search">
        <div>
          <label for="query">Name or partner ID</label>
          <input id="query" name="query" value={props.query} />
        </div>
        <Select
          id="status"
          label="Status"
          options={["", "active", "suspended", "offboarded"].map((s) => [s, s || "any"] as const)}
          selected={props.status}
        />
      </Filters>
      <Table
        caption="Partners, newest first"
        columns={["Name", "Environment", "Status", "Plan", "Created"]}
        rows={props.partners}
        row={(p) => (
          <tr data-partner={p.id}>
            <td>
              <a href={`/console/partners/${p.id}`}>{p.name}</a>
            </td>
            <td>{p.environment}</td>
            <td>{statusBadge(p.status)}</td>
            <td>{p.tier}</td>
            <td>{minute(p.created_at)}</td>
          </tr>
        )}
      />
    </Layout>
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
  props: PageFrame & {
    csrf: string;
    partner: PartnerDetail;
    usage: PartnerUsage | undefined;
    /** This month's and last month's service levels (GET /admin/v1/partners/{id}/sla). */
    sla: SlaReport[];
    audit: AuditEntry[];
  },
) {
  const p = props.partner;
  return (
    <Layout {...props} active="partners" {...CHART_ASSETS}>
      <section class="card" aria-labelledby="partner-facts">
        <h2 id="partner-facts">{p.name}</h2>
        <dl class="facts">
          <dt>Partner ID</dt>
          <dd>
            <code>{p.id}</code>
          </dd>
          <dt>Status</dt>
          <dd>{statusBadge(p.status, "partner-status")}</dd>
          <dt>Environment</dt>
          <dd>{p.environment}</dd>
          <dt>Plan</dt>
          <dd>{p.tier}</dd>
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
      <ContractFacts contract={p.contract} />
      <CredentialsTable credentials={p.credentials} />
      {props.usage ? (
        <>
          <DayCharts days={props.usage.days} title="Calls and latency per day, last 30 days" />
          <UsageTable usage={props.usage} />
        </>
      ) : (
        <p class="hint">Its usage cannot be read now.</p>
      )}
      {props.sla.length > 0 ? (
        <SlaTable months={props.sla} caption="Service levels: this month and last month" />
      ) : (
        <p class="hint">Its service levels cannot be read now.</p>
      )}
      <AuditTable entries={props.audit} caption="This partner's admin audit trail" />
    </Layout>
  );
}
