/** @jsxImportSource hono/jsx */
import { Layout, type PageFrame } from "../../../platform/web/layout";
import { Filters, Select, Table } from "../../../platform/web/parts";
import { minute } from "./format";

export interface EndpointHealth {
  endpoint_id: string;
  partner: { id: string; name: string };
  url_host: string;
  status: "enabled" | "disabled";
  disabled_reason: string | null;
  failing_since: string | null;
  failed_deliveries: { last_24_hours: number; last_7_days: number };
  retrying_deliveries: number;
  last_status_code: number | null;
  recent_attempts: {
    attempted_at: string;
    status_code: number | null;
    outcome: string;
    error: string | null;
  }[];
}

export interface WebhookHealth {
  totals: {
    failing_endpoints: number;
    disabled_endpoints: number;
    failed_deliveries_last_24_hours: number;
    failed_deliveries_last_7_days: number;
  };
  data: EndpointHealth[];
  has_more: boolean;
}

const STATES = [
  ["", "all worth a look"],
  ["failing", "failing now"],
  ["disabled", "disabled"],
] as const;

/** An attempt in a few characters: its status, or why no answer came. */
const attemptText = (a: EndpointHealth["recent_attempts"][number]) =>
  `${a.status_code ?? (a.error ?? "no answer").split(":")[0]} (${a.outcome})`;

/** Enabled, failing (enabled with a failure run) or disabled, with why. */
function EndpointState(props: { e: EndpointHealth }) {
  const { e } = props;
  const [badge, text] =
    e.status === "disabled"
      ? ["disabled", "disabled"]
      : e.failing_since
        ? ["retrying", "failing"]
        : ["enabled", "enabled"];
  return (
    <>
      <span class={`badge badge-${badge}`}>{text}</span>
      {e.disabled_reason ? <div class="hint">{e.disabled_reason}</div> : null}
    </>
  );
}

export function WebhooksPage(props: PageFrame & { health: WebhookHealth | undefined; state: string }) {
  const h = props.health;
  const last = h?.data.at(-1);
  const next =
    h?.has_more && last
      ? `/console/webhooks?${new URLSearchParams({ ...(props.state ? { state: props.state } : {}), starting_after: last.endpoint_id })}`
      : undefined;
  return (
    <Layout {...props} active="webhooks">
      {h ? (
        <section class="card" aria-labelledby="totals">
          <h2 id="totals">Across partners</h2>
          <dl class="facts" id="webhook-totals">
            <dt>Failing endpoints</dt>
            <dd data-total="failing">{h.totals.failing_endpoints}</dd>
            <dt>Disabled endpoints</dt>
            <dd data-total="disabled">{h.totals.disabled_endpoints}</dd>
            <dt>Deliveries failed for good</dt>
            <dd data-total="failed">
              {h.totals.failed_deliveries_last_24_hours} in 24 hours, {h.totals.failed_deliveries_last_7_days}{" "}
              in 7 days
            </dd>
          </dl>
        </section>
      ) : null}
      <Filters action="/console/webhooks" label="Filter endpoints" button="Show">
        <Select id="state" label="Endpoints" options={STATES} selected={props.state} />
      </Filters>
      <Table
        caption="Endpoints worth a look, newest first (URL hosts only; never a secret)"
        columns={[
          "Partner",
          "Host",
          "State",
          "Failing since",
          "Failed for good (24 h / 7 d)",
          "Retrying",
          "Latest attempts",
        ]}
        rows={h?.data ?? []}
        empty="Every endpoint is healthy."
        row={(e) => (
          <tr data-endpoint={e.endpoint_id}>
            <td>
              <a href={`/console/partners/${e.partner.id}`}>{e.partner.name}</a>
            </td>
            <td>
              <code>{e.url_host}</code>
            </td>
            <td>
              <EndpointState e={e} />
            </td>
            <td>{e.failing_since ? `${minute(e.failing_since)} UTC` : "—"}</td>
            <td>
              {e.failed_deliveries.last_24_hours} / {e.failed_deliveries.last_7_days}
            </td>
            <td>{e.retrying_deliveries}</td>
            <td>
              {e.recent_attempts.length === 0
                ? "none in 7 days"
                : e.recent_attempts.map(attemptText).join(", ")}
            </td>
          </tr>
        )}
      />
      {next ? (
        <p>
          <a href={next}>Next page</a>
        </p>
      ) : null}
    </Layout>
  );
}
