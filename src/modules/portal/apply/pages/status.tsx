/** @jsxImportSource hono/jsx */
import { timeOf } from "../../../../platform/web/format";
import { ActionForm, Layout, type PageFrame, ShownOnce } from "../../../../platform/web/layout";
import { Table } from "../../../../platform/web/parts";

export interface RegistrationState {
  id: string;
  company_name: string;
  country: string;
  contact_email: string;
  products: string[];
  email_verified: boolean;
  sandbox_partner_id: string;
  production_partner_id: string | null;
}

export interface TermsState {
  version: string;
  text: string;
  sha256: string;
  accept_by: string;
  accepted_at: string | null;
}

export interface ApplicationSummary {
  id: string;
  status: string;
  missing: string[];
  partner_id: string | null;
}

/** Where the registrant stands: email, terms, the application, going live. */
export function StatusPage(
  props: PageFrame & {
    csrf: string;
    registration: RegistrationState | undefined;
    terms: TermsState | undefined;
    application: ApplicationSummary | undefined;
  },
) {
  const { registration: r, terms, application: a } = props;
  return (
    <Layout {...props}>
      {r ? (
        <section class="card" aria-label="Registration">
          <h2>{r.company_name}</h2>
          <dl class="facts">
            <dt>Contact email</dt>
            <dd>
              {r.contact_email}{" "}
              {r.email_verified ? (
                <span class="badge badge-active">verified</span>
              ) : (
                <span class="badge badge-pending">not verified</span>
              )}
            </dd>
            <dt>Sandbox partner</dt>
            <dd>
              <code>{r.sandbox_partner_id}</code>
            </dd>
            <dt>Production partner</dt>
            <dd>
              <code>{r.production_partner_id ?? "—"}</code>
            </dd>
            <dt>Products wanted</dt>
            <dd>{r.products.join(", ")}</dd>
          </dl>
          {r.email_verified ? null : (
            <ActionForm
              action="/portal/apply/verification"
              csrf={props.csrf}
              label="Send the verification link again"
            />
          )}
        </section>
      ) : null}
      <ol class="steps">
        <li data-step="email" data-done={String(Boolean(r?.email_verified))}>
          Verify your email {r?.email_verified ? "✓" : ""}
        </li>
        <li data-step="terms" data-done={String(Boolean(terms?.accepted_at))}>
          <a href="/portal/apply/terms">Accept the terms</a>{" "}
          {terms?.accepted_at ? `✓ (${terms.version})` : ""}
        </li>
        <li data-step="application" data-done={String(a?.status === "approved")}>
          <a href="/portal/apply/application">Apply for production</a>{" "}
          {a ? <span class={`badge badge-${a.status}`}>{a.status.replace("_", " ")}</span> : "not started"}
        </li>
        <li data-step="live" data-done={String(Boolean(a?.partner_id))}>
          <a href="/portal/apply/credentials">Make your live keys</a>
        </li>
      </ol>
    </Layout>
  );
}

export function TermsPage(props: PageFrame & { csrf: string; terms: TermsState | undefined }) {
  const { terms } = props;
  if (!terms) return <Layout {...props}>{null}</Layout>;
  return (
    <Layout {...props}>
      <p>
        Version <code>{terms.version}</code>, SHA-256 <code class="wrap">{terms.sha256}</code>, to accept by{" "}
        {timeOf(terms.accept_by)}.
      </p>
      <section class="terms-box" aria-label="The terms of service">
        <pre class="terms" tabindex={0}>
          {terms.text}
        </pre>
      </section>
      {terms.accepted_at ? (
        <p class="flash flash-ok" role="status">
          You accepted this version on {timeOf(terms.accepted_at)}.
        </p>
      ) : (
        <ActionForm action="/portal/apply/terms" csrf={props.csrf} label="Accept these terms">
          <input type="hidden" name="version" value={terms.version} />
          <input type="hidden" name="sha256" value={terms.sha256} />
          <label class="check">
            <input type="checkbox" name="agree" value="yes" required /> I have read these terms and accept
            them for my company.
          </label>
        </ActionForm>
      )}
    </Layout>
  );
}

export interface LiveCredential {
  id: string;
  consumer_key: string;
  status: string;
  created_at: string;
}

export function CredentialsPage(
  props: PageFrame & {
    csrf: string;
    credentials: LiveCredential[];
    created?: { consumer_key: string; consumer_secret: string; partner_id?: string };
  },
) {
  return (
    <Layout {...props}>
      {props.created ? (
        <section class="card" aria-label="New live key">
          <p>
            New live consumer key <code>{props.created.consumer_key}</code>
          </p>
          <ShownOnce id="live-secret" label="Live consumer secret" value={props.created.consumer_secret} />
        </section>
      ) : null}
      <p>
        Live keys call production from the addresses in your approved IP allow-list. Nobody at the bank sees
        their secrets: you make them here, and Portico keeps only a hash.
      </p>
      <Table caption="Your live keys" columns={["Consumer key", "Status", "Created"]}>
        {props.credentials.map((k) => (
          <tr>
            <td>
              <code>{k.consumer_key}</code>
            </td>
            <td>{k.status}</td>
            <td>{timeOf(k.created_at)}</td>
          </tr>
        ))}
      </Table>
      <ActionForm action="/portal/apply/credentials" csrf={props.csrf} label="Make a live key" />
    </Layout>
  );
}
