/** @jsxImportSource hono/jsx */
import { ActionForm, Layout, type PageFrame } from "../../../platform/web/layout";
import { Table } from "../../../platform/web/parts";
import { minute } from "./format";

export interface KillSwitch {
  product: string;
  disabled: boolean;
  disabled_by_configuration: boolean;
  disabled_by_switch: boolean;
  reason: string | null;
  updated_by: string | null;
  updated_at: string | null;
}

/** What may be done with one switch: off (with a confirmation), on, or nothing while configuration holds it off. */
function SwitchAction(props: { k: KillSwitch; csrf: string }) {
  const { k, csrf } = props;
  const action = `/console/kill-switches/${k.product}`;
  if (!k.disabled)
    return (
      <ActionForm action={action} csrf={csrf} label={`Switch ${k.product} off`} danger>
        <input type="hidden" name="disabled" value="true" />
        <label for={`off-reason-${k.product}`}>Reason (recorded in the audit log)</label>
        <input id={`off-reason-${k.product}`} name="reason" required minlength={3} maxlength={500} />
        <span class="confirm">
          <input id={`off-confirm-${k.product}`} type="checkbox" name="confirm" value="yes" required />{" "}
          <label for={`off-confirm-${k.product}`}>
            Refuse every partner's {k.product} calls (503, code 22)
          </label>
        </span>
      </ActionForm>
    );
  if (!k.disabled_by_switch)
    return <p class="hint">Off by configuration (PRODUCTS_DISABLED): the console cannot turn it on.</p>;
  return (
    <ActionForm action={action} csrf={csrf} label={`Switch ${k.product} on`}>
      <input type="hidden" name="disabled" value="false" />
      <label for={`on-reason-${k.product}`}>Reason (recorded in the audit log)</label>
      <input id={`on-reason-${k.product}`} name="reason" required minlength={3} maxlength={500} />
      {k.disabled_by_configuration ? (
        <p class="hint">PRODUCTS_DISABLED names it too: it stays off until the configuration changes.</p>
      ) : null}
    </ActionForm>
  );
}

/** Why a product is off (configuration, the switch's reason), or the last reason given. */
function why(k: KillSwitch): string {
  const off = [
    k.disabled_by_configuration ? "configuration (PRODUCTS_DISABLED)" : "",
    k.disabled_by_switch ? `switch: ${k.reason ?? "no reason"}` : "",
  ].filter(Boolean);
  if (off.length > 0) return off.join("; ");
  return k.reason ? `last: ${k.reason}` : "—";
}

export function KillSwitchesPage(props: PageFrame & { csrf: string; switches: KillSwitch[] }) {
  return (
    <Layout {...props} active="kill-switches">
      <p class="hint">
        A product switched off refuses every partner's calls to its routes with 503, code 22, within 5 seconds
        everywhere. Operators may switch; each change is audited with its reason.
      </p>
      <Table
        caption="Every product's switch"
        columns={["Product", "State", "Why", "Last changed", "Action"]}
        rows={props.switches}
        row={(k) => (
          <tr data-kill-switch={k.product}>
            <th scope="row">{k.product}</th>
            <td>
              <span class={`badge badge-${k.disabled ? "disabled" : "enabled"}`}>
                {k.disabled ? "off" : "on"}
              </span>
            </td>
            <td>{why(k)}</td>
            <td>{k.updated_at ? `${minute(k.updated_at)} by ${k.updated_by ?? "?"}` : "never"}</td>
            <td>
              <SwitchAction k={k} csrf={props.csrf} />
            </td>
          </tr>
        )}
      />
    </Layout>
  );
}
