/** @jsxImportSource hono/jsx */
import { timeOf } from "../../../platform/web/format";
import { ActionForm, Layout, type PageFrame, ShownOnce } from "../../../platform/web/layout";
import { Table } from "../../../platform/web/parts";

export interface Credential {
  id: string;
  consumer_key: string;
  description: string | null;
  status: "active" | "revoked";
  created_at: string;
  revoked_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
}

export function KeysPage(
  props: PageFrame & {
    csrf: string;
    keys: Credential[];
    writable: boolean;
    created?: { consumer_key: string; consumer_secret: string };
  },
) {
  return (
    <Layout {...props} active="keys">
      {props.created ? (
        <section class="card" aria-label="New key">
          <p>
            New consumer key <code>{props.created.consumer_key}</code>
          </p>
          <ShownOnce id="new-secret" label="Consumer secret" value={props.created.consumer_secret} />
        </section>
      ) : null}
      <p>
        Consumer keys and secrets obtain tokens at <code>POST /oauth2/token</code>. Rotate with an overlap:
        the old key keeps working until the time you choose, so the new one is deployed without downtime.
      </p>
      <Table
        caption="Your API keys"
        columns={[
          "Consumer key",
          "Description",
          "Status",
          "Created",
          "Last used",
          "Ends",
          props.writable && "Actions",
        ]}
      >
        {props.keys.map((k) => (
          <tr data-key={k.consumer_key}>
            <td>
              <code>{k.consumer_key}</code>
            </td>
            <td>{k.description ?? "—"}</td>
            <td>
              <span class={`badge badge-${k.status}`}>{k.status}</span>
            </td>
            <td>{timeOf(k.created_at, "never")}</td>
            <td>{timeOf(k.last_used_at, "never")}</td>
            <td>
              {k.status === "revoked"
                ? timeOf(k.revoked_at, "never")
                : k.expires_at
                  ? timeOf(k.expires_at, "never")
                  : "—"}
            </td>
            {props.writable ? (
              <td class="actions">
                {k.status === "active" ? (
                  <>
                    <ActionForm
                      action={`/portal/keys/${k.id}/rotate`}
                      csrf={props.csrf}
                      label="Rotate"
                      inline
                    >
                      <label class="sr-only" for={`overlap-${k.id}`}>
                        Old key keeps working for
                      </label>
                      <select id={`overlap-${k.id}`} name="overlap_seconds">
                        <option value="3600">1 hour</option>
                        <option value="86400" selected>
                          1 day
                        </option>
                        <option value="604800">7 days</option>
                        <option value="0">no overlap</option>
                      </select>
                    </ActionForm>
                    <ActionForm
                      action={`/portal/keys/${k.id}/revoke`}
                      csrf={props.csrf}
                      label="Revoke"
                      danger
                      inline
                    />
                  </>
                ) : null}
              </td>
            ) : null}
          </tr>
        ))}
      </Table>
      {props.writable ? (
        <section class="card" aria-labelledby="create-key">
          <h2 id="create-key">Create a key</h2>
          <ActionForm action="/portal/keys" csrf={props.csrf} label="Create key">
            <label for="description">Description (optional)</label>
            <input id="description" name="description" maxlength={200} />
          </ActionForm>
        </section>
      ) : null}
    </Layout>
  );
}
