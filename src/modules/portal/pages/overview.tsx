/** @jsxImportSource hono/jsx */
import { Layout, type PageFrame } from "../../../platform/web/layout";

export interface PartnerProfileView {
  id: string;
  name: string;
  environment: string;
  status: string;
  tier?: string;
  products?: string[];
  scopes?: string[];
  limits?: { requests_per_second?: number; daily_quota?: number | null };
  api_version?: string;
}

export function OverviewPage(props: PageFrame & { partner: PartnerProfileView | undefined; error?: string }) {
  const p = props.partner;
  return (
    <Layout {...props} active="overview">
      {props.error ? (
        <p class="flash flash-error" role="alert">
          {props.error}
        </p>
      ) : null}
      {p ? (
        <section class="card" aria-labelledby="partner-title">
          <h2 id="partner-title">{p.name}</h2>
          <dl class="facts">
            <dt>Partner ID</dt>
            <dd>
              <code>{p.id}</code>
            </dd>
            <dt>Environment</dt>
            <dd>{p.environment}</dd>
            <dt>Status</dt>
            <dd>{p.status}</dd>
            {p.tier ? (
              <>
                <dt>Plan</dt>
                <dd>{p.tier}</dd>
              </>
            ) : null}
            {p.api_version ? (
              <>
                <dt>API version</dt>
                <dd>{p.api_version}</dd>
              </>
            ) : null}
            {p.products ? (
              <>
                <dt>Products</dt>
                <dd>{p.products.join(", ") || "none"}</dd>
              </>
            ) : null}
          </dl>
        </section>
      ) : null}
      <ul class="tiles">
        <li>
          <a href="/portal/keys">API keys</a>: create, rotate and revoke your consumer keys.
        </li>
        <li>
          <a href="/portal/webhooks">Webhooks</a>: endpoints, deliveries with every attempt, resend and
          recover.
        </li>
        <li>
          <a href="/portal/events">Events</a>: everything that happened, with the API's filters.
        </li>
        <li>
          <a href="/docs">API reference</a>: every operation, with examples.
        </li>
      </ul>
    </Layout>
  );
}
