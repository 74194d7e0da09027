/** @jsxImportSource hono/jsx */
import { Layout, type PageFrame } from "../../../platform/web/layout";
import { Table } from "../../../platform/web/parts";
import { second } from "./format";

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

export function AuditTable(props: { entries: AuditEntry[]; caption: string }) {
  return (
    <Table
      caption={props.caption}
      columns={["When", "Who", "Action", "Target", "Outcome", "Reason"]}
      rows={props.entries}
      row={(e) => (
        <tr data-audit={e.id}>
          <td>{second(e.created_at)}</td>
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
      )}
    />
  );
}

export function AuditPage(props: PageFrame & { entries: AuditEntry[] }) {
  return (
    <Layout {...props} active="audit">
      <AuditTable entries={props.entries} caption="Admin audit log, newest first" />
    </Layout>
  );
}
