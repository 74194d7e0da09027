/** @jsxImportSource hono/jsx */
import { ActionForm, Layout, type PageFrame } from "../../../platform/web/layout";

export interface ChangeRequest {
  id: string;
  kind: string;
  partner_id: string;
  status: string;
  change: Record<string, unknown>;
  reason: string;
  maker: { identity: string; role: string };
  checker: { identity: string; role: string } | null;
  expires_at: string;
  created_at: string;
}

export function ApprovalsPage(props: PageFrame & { csrf: string; requests: ChangeRequest[]; me: string }) {
  return (
    <Layout {...props} active="approvals">
      <p class="hint">
        Maker-checker: a change proposed by one approver is applied when a different approver approves it.
        Your own proposals can only be withdrawn.
      </p>
      {props.requests.length === 0 ? <p>No change waits for an approval.</p> : null}
      {props.requests.map((r) => (
        <section class="card" aria-labelledby={`cr-${r.id}`} data-change-request={r.id}>
          <h2 id={`cr-${r.id}`}>
            {r.kind} for <a href={`/console/partners/${r.partner_id}`}>{r.partner_id}</a>
          </h2>
          <dl class="facts">
            <dt>Proposed by</dt>
            <dd>
              {r.maker.identity} ({r.maker.role}), {r.created_at.replace("T", " ").slice(0, 16)}
            </dd>
            <dt>Reason</dt>
            <dd>{r.reason}</dd>
            <dt>Change</dt>
            <dd>
              <code>{JSON.stringify(r.change)}</code>
            </dd>
            <dt>Good until</dt>
            <dd>{r.expires_at.replace("T", " ").slice(0, 16)} UTC</dd>
          </dl>
          {r.maker.identity !== props.me ? (
            <ActionForm
              action={`/console/approvals/${r.id}/approve`}
              csrf={props.csrf}
              label="Approve"
              inline
            />
          ) : null}
          <ActionForm
            action={`/console/approvals/${r.id}/reject`}
            csrf={props.csrf}
            label={r.maker.identity === props.me ? "Withdraw" : "Reject"}
            danger
            inline
          >
            <label class="sr-only" for={`reject-${r.id}`}>
              Reason
            </label>
            <input
              id={`reject-${r.id}`}
              name="reason"
              required
              minlength={3}
              maxlength={500}
              placeholder="reason"
            />
          </ActionForm>
        </section>
      ))}
    </Layout>
  );
}
