/** @jsxImportSource hono/jsx */
import { Layout, type PageFrame } from "../../../platform/web/layout";
import { Table } from "../../../platform/web/parts";
import { minute } from "./format";

export interface VersionUsage {
  version: string;
  deprecated: boolean;
  sunset: string | null;
  partners: { partner_id: string; calls: number; first_seen_at: string; last_seen_at: string }[];
}

const state = (v: VersionUsage) =>
  v.deprecated ? (
    <span class="badge badge-pending">deprecated{v.sunset ? `, sunset ${v.sunset.slice(0, 10)}` : ""}</span>
  ) : (
    <span class="badge badge-active">current</span>
  );

/** Which partners call which API version: a line per version, then a line per version and partner. */
export function VersionsPage(props: PageFrame & { versions: VersionUsage[] }) {
  const calls = (v: VersionUsage) => v.partners.reduce((n, p) => n + p.calls, 0);
  const rows = props.versions.flatMap((v) => v.partners.map((p) => ({ v, p })));
  return (
    <Layout {...props} active="versions">
      <p class="hint">
        Calls are counted per isolate and written at most once a minute: a lower bound. A partner still on a
        deprecated version is one to contact before its sunset.
      </p>
      <Table
        caption="Published API versions"
        columns={["Version", "State", "Partners", "Calls"]}
        rows={props.versions}
        row={(v) => (
          <tr data-version={v.version}>
            <th scope="row">{v.version}</th>
            <td>{state(v)}</td>
            <td>{v.partners.length}</td>
            <td>{calls(v)}</td>
          </tr>
        )}
      />
      <Table
        caption="Partners per version"
        columns={["Version", "Partner", "Calls", "First seen", "Last seen"]}
        rows={rows}
        empty="No calls recorded yet."
        row={({ v, p }) => (
          <tr data-version-partner={`${v.version} ${p.partner_id}`}>
            <td>
              {v.version} {v.deprecated ? state(v) : null}
            </td>
            <td>
              <a href={`/console/partners/${p.partner_id}`}>
                <code>{p.partner_id}</code>
              </a>
            </td>
            <td>{p.calls}</td>
            <td>{minute(p.first_seen_at)}</td>
            <td>{minute(p.last_seen_at)}</td>
          </tr>
        )}
      />
    </Layout>
  );
}
