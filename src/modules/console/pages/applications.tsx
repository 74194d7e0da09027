/** @jsxImportSource hono/jsx */
import { ActionForm, Layout, type PageFrame } from "../../../platform/web/layout";
import { Filters, Select, Table } from "../../../platform/web/parts";
import { APPLICATION_STATUSES } from "../../onboarding/application-model";
import type { ChangeRequest } from "./approvals";
import { minute } from "./format";
import { Facts } from "./partner-parts";

interface Contact {
  name: string;
  email: string;
  phone?: string | null;
}

export interface Application {
  id: string;
  status: string;
  revision: number;
  registration: {
    company_name: string;
    country: string;
    contact_email: string;
    email_verified: boolean;
    use_case: string;
    sandbox_partner_id: string;
  } | null;
  partner_id: string;
  products: string[];
  checklist: {
    legal_entity?: { name: string; registration_number: string; lei?: string | null };
    licences?: Record<string, string>;
    data_protection_contact?: Contact;
    webhook_urls?: string[];
    ip_allowlist?: string[];
    technical_contact?: Contact;
    security_contact?: Contact;
  };
  missing: string[];
  documents: {
    id: string;
    kind: string;
    filename: string;
    content_type: string;
    size: number;
    sha256: string;
    created_at: string;
  }[];
  approval: ChangeRequest | null;
  history: {
    id: string;
    action: string;
    actor: { kind: string; id: string };
    from_status: string | null;
    to_status: string | null;
    comment: string | null;
    created_at: string;
  }[];
  submitted_at: string | null;
  decided_at: string | null;
  live_partner_created_at: string | null;
  created_at: string;
}

const badge = (status: string) => {
  const kind =
    status === "approved"
      ? "active"
      : status === "rejected"
        ? "disabled"
        : status === "draft"
          ? ""
          : "pending";
  return <span class={`badge badge-${kind}`}>{status.replace("_", " ")}</span>;
};

export function ApplicationsPage(
  props: PageFrame & { applications: Application[]; status: string; next?: string },
) {
  return (
    <Layout {...props} active="applications">
      <Filters action="/console/applications" label="Filter applications" button="Show">
        <Select
          id="status"
          label="Status"
          options={APPLICATION_STATUSES.map((s) => [s, s.replace("_", " ")] as const)}
          selected={props.status}
        />
      </Filters>
      <Table
        caption="Production applications, oldest first"
        columns={["Company", "Products", "Status", "Submitted", "Awaiting a checker"]}
        rows={props.applications}
        empty="No application in this status."
        row={(a) => (
          <tr data-application={a.id}>
            <td>
              <a href={`/console/applications/${a.id}`}>{a.registration?.company_name ?? a.id}</a>
            </td>
            <td>{a.products.join(", ")}</td>
            <td>{badge(a.status)}</td>
            <td>{a.submitted_at ? minute(a.submitted_at) : "—"}</td>
            <td>{a.approval?.status === "pending" ? `proposed by ${a.approval.maker.identity}` : "—"}</td>
          </tr>
        )}
      />
      {props.next ? (
        <p>
          <a href={props.next}>Next page</a>
        </p>
      ) : null}
    </Layout>
  );
}

const contact = (c: Contact | undefined) =>
  c ? `${c.name} <${c.email}>${c.phone ? `, ${c.phone}` : ""}` : "—";
const list = (items: string[] | undefined) => (items && items.length > 0 ? items.join(", ") : "—");

/** The company's answers to the checklist, as it filled them in, and what is still missing. */
function Checklist(props: { a: Application }) {
  const c = props.a.checklist;
  const licences = Object.entries(c.licences ?? {}).map(([product, ref]) => `${product}: ${ref}`);
  return (
    <Facts
      id="checklist"
      title="The company's answers"
      rows={[
        [
          "Legal entity",
          c.legal_entity ? `${c.legal_entity.name}, ${c.legal_entity.registration_number}` : "—",
        ],
        ["LEI", c.legal_entity?.lei ?? "—"],
        ["Licences", list(licences)],
        ["Data protection contact", contact(c.data_protection_contact)],
        ["Technical contact", contact(c.technical_contact)],
        ["Security contact", contact(c.security_contact)],
        ["Webhook URLs", list(c.webhook_urls)],
        ["IP allow-list", list(c.ip_allowlist)],
        ["Missing", props.a.missing.length === 0 ? "nothing" : props.a.missing.join(", ")],
      ]}
    />
  );
}

function CommentForm(props: {
  a: Application;
  csrf: string;
  action: string;
  label: string;
  hint: string;
  danger?: boolean;
}) {
  const id = `${props.action}-comment`;
  return (
    <ActionForm
      action={`/console/applications/${props.a.id}/${props.action}`}
      csrf={props.csrf}
      label={props.label}
      danger={props.danger ?? false}
    >
      <label for={id}>{props.hint}</label>
      <textarea id={id} name="reason" required minlength={3} maxlength={500} rows={3} />
    </ActionForm>
  );
}

/** The decisions on a submitted application; approving is the maker's proposal, then a different checker's. */
function Decisions(props: { a: Application; csrf: string; me: string }) {
  const { a, csrf, me } = props;
  if (a.status !== "submitted")
    return <p class="hint">Only a submitted application can be decided; this one is {a.status}.</p>;
  const pending = a.approval?.status === "pending" ? a.approval : null;
  const mine = pending?.maker.identity === me;
  return (
    <>
      {pending ? (
        <p id="approval-proposed">
          Approval proposed by <strong>{pending.maker.identity}</strong> ({pending.maker.role}),{" "}
          {minute(pending.created_at)} UTC, good until {minute(pending.expires_at)} UTC.{" "}
          {mine ? "A different approver approves it." : "Approving now makes the live partner."}
        </p>
      ) : (
        <p class="hint">Approving takes two approvers: the first proposes, a different one approves.</p>
      )}
      {mine ? null : (
        <CommentForm
          a={a}
          csrf={csrf}
          action="approve"
          label={pending ? "Approve: make the live partner" : "Propose approval"}
          hint="Reason (recorded in the audit log)"
        />
      )}
      <CommentForm
        a={a}
        csrf={csrf}
        action="request-changes"
        label="Request changes"
        hint="What to change (the partner reads this comment)"
      />
      <CommentForm
        a={a}
        csrf={csrf}
        action="reject"
        label="Reject"
        hint="Why (the partner reads this; final)"
        danger
      />
    </>
  );
}

export function ApplicationPage(props: PageFrame & { csrf: string; application: Application; me: string }) {
  const a = props.application;
  const r = a.registration;
  return (
    <Layout {...props} active="applications">
      <section class="card" aria-labelledby="application-facts">
        <h2 id="application-facts">Application</h2>
        <dl class="facts">
          <dt>Status</dt>
          <dd id="application-status">{badge(a.status)}</dd>
          <dt>Revision</dt>
          <dd>{a.revision}</dd>
          <dt>Company</dt>
          <dd>{r ? `${r.company_name} (${r.country})` : "—"}</dd>
          <dt>Contact</dt>
          <dd>{r ? `${r.contact_email} ${r.email_verified ? "(verified)" : "(not verified)"}` : "—"}</dd>
          <dt>Use case</dt>
          <dd>{r?.use_case ?? "—"}</dd>
          <dt>Sandbox partner</dt>
          <dd>
            <code>{r?.sandbox_partner_id ?? "—"}</code>
          </dd>
          <dt>Products asked for</dt>
          <dd>{a.products.join(", ")}</dd>
          <dt>Live partner</dt>
          <dd>
            {a.live_partner_created_at ? (
              <a href={`/console/partners/${a.partner_id}`}>
                <code>{a.partner_id}</code>
              </a>
            ) : (
              <>
                <code>{a.partner_id}</code> once approved
              </>
            )}
          </dd>
          <dt>Submitted</dt>
          <dd>{a.submitted_at ? `${minute(a.submitted_at)} UTC` : "—"}</dd>
          <dt>Decided</dt>
          <dd>{a.decided_at ? `${minute(a.decided_at)} UTC` : "—"}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="decide">
        <h2 id="decide">Decision</h2>
        <Decisions a={a} csrf={props.csrf} me={props.me} />
      </section>
      <Checklist a={a} />
      <Table
        caption="Documents (downloads need the operator role and are audited)"
        columns={["Kind", "File", "Type and size", "SHA-256", "Uploaded"]}
        rows={a.documents}
        empty="No document."
        row={(d) => (
          <tr data-document={d.id}>
            <td>{d.kind.replaceAll("_", " ")}</td>
            <td>
              <a href={`/console/applications/${a.id}/documents/${d.id}`} download={d.filename}>
                {d.filename}
              </a>
            </td>
            <td>
              {d.content_type}, {d.size} bytes
            </td>
            <td>
              <code>{d.sha256}</code>
            </td>
            <td>{minute(d.created_at)}</td>
          </tr>
        )}
      />
      <Table
        caption="History and comments"
        columns={["When", "Step", "By", "Status", "Comment"]}
        rows={a.history}
        row={(h) => (
          <tr data-history={h.action}>
            <td>{minute(h.created_at)}</td>
            <td>
              <code>{h.action}</code>
            </td>
            <td>
              {h.actor.id} ({h.actor.kind})
            </td>
            <td>{h.from_status || h.to_status ? `${h.from_status ?? "—"} → ${h.to_status ?? "—"}` : "—"}</td>
            <td>{h.comment ?? "—"}</td>
          </tr>
        )}
      />
    </Layout>
  );
}

/** The sandbox has no applications: partners apply to production, whose console reviews them. */
export function NoApplicationsPage(props: PageFrame) {
  return (
    <Layout {...props} active="applications">
      <p class="flash flash-error" role="alert">
        Production applications are reviewed in production's console: the sandbox has none (the admin API
        answers 404, code 31, here).
      </p>
    </Layout>
  );
}
