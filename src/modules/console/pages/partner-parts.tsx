/** @jsxImportSource hono/jsx */
import { percent, USAGE_COLUMNS, UsageCells, type UsageFigures } from "../../../platform/web/charts";
import { Table } from "../../../platform/web/parts";
import { minute } from "./format";

export interface Contract {
  products: string[];
  scopes: string[];
  tier: string;
  rate_limit_per_second: number | null;
  effective_rate_limit_per_second: number;
  daily_quota: number | null;
  fees: { bps: number; fixed_minor: number };
  data_access: string[];
  cors_origins: string[];
  ip_allowlist: string[];
  webhook_domains: string[];
  api_version: string;
  updated_at: string;
}

export interface Credential {
  id: string;
  consumer_key: string;
  description: string | null;
  status: string;
  created_at: string;
  revoked_at: string | null;
}

/** GET /admin/v1/partners/{id}/usage: the last 30 days, per day. */
export interface PartnerUsage {
  from: string;
  to: string;
  days: (UsageFigures & { date: string })[];
  totals: UsageFigures;
}

const listed = (items: string[], none = "none") => (items.length > 0 ? items.join(", ") : none);

/** Terms and values as a card's facts. */
export function Facts(props: { id: string; title: string; rows: readonly (readonly [string, string])[] }) {
  return (
    <section class="card" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <dl class="facts">
        {props.rows.map(([term, value]) => (
          <>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </>
        ))}
      </dl>
    </section>
  );
}

/** The contract as the partner is held to it: what it may call, its limits, its price, its allow-lists. */
export function ContractFacts(props: { contract: Contract }) {
  const k = props.contract;
  return (
    <Facts
      id="partner-contract"
      title="Contract"
      rows={[
        ["Products", listed(k.products)],
        ["Scopes", listed(k.scopes)],
        ["Tier", k.tier],
        [
          "Requests per second",
          `${k.effective_rate_limit_per_second}${k.rate_limit_per_second === null ? " (the tier's)" : ""}`,
        ],
        ["Daily quota", k.daily_quota === null ? "none" : String(k.daily_quota)],
        ["Fees", `${k.fees.bps} bps + ${k.fees.fixed_minor} (minor units) per payment`],
        ["Data access", listed(k.data_access)],
        ["CORS origins", listed(k.cors_origins)],
        ["IP allow-list", listed(k.ip_allowlist, "any address")],
        ["Webhook domains", listed(k.webhook_domains, "any public host")],
        ["API version", k.api_version],
        ["Changed", `${minute(k.updated_at)} UTC`],
      ]}
    />
  );
}

/** Calls, errors and latency per UTC day, newest first, as the partner's own usage report has them. */
export function UsageTable(props: { usage: PartnerUsage }) {
  const u = props.usage;
  return (
    <Table
      id="partner-usage"
      caption={`Usage per day, ${u.from} to ${u.to}: ${u.totals.calls} calls, ${percent(u.totals.error_rate)} errors`}
      columns={["Day", ...USAGE_COLUMNS]}
      rows={[...u.days].reverse()}
      row={(d) => (
        <tr data-usage-day={d.date}>
          <td>{d.date}</td>
          <UsageCells figures={d} />
        </tr>
      )}
    />
  );
}

export function CredentialsTable(props: { credentials: Credential[] }) {
  return (
    <Table
      caption="Credentials (metadata only: never a secret)"
      columns={["Consumer key", "Description", "Status", "Created", "Revoked"]}
      rows={props.credentials}
      empty="No credential."
      row={(k) => (
        <tr data-credential={k.id}>
          <td>
            <code>{k.consumer_key}</code>
          </td>
          <td>{k.description ?? "—"}</td>
          <td>
            <span class={`badge badge-${k.status}`}>{k.status}</span>
          </td>
          <td>{minute(k.created_at)}</td>
          <td>{k.revoked_at ? minute(k.revoked_at) : "—"}</td>
        </tr>
      )}
    />
  );
}
