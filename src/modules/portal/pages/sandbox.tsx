/** @jsxImportSource hono/jsx */
import { ActionForm, Layout, type PageFrame } from "../../../platform/web/layout";

/** One sandbox button: the simulate call it makes, and the outcomes it offers. */
export interface Simulation {
  key: string;
  title: string;
  idLabel: string;
  outcomes: readonly { value: string; label: string }[];
}

export const SIMULATIONS: readonly Simulation[] = [
  {
    key: "payment",
    title: "A payment waiting for its customer's bank",
    idLabel: "Payment ID",
    outcomes: [
      { value: "succeeded", label: "Bank approves" },
      { value: "failed", label: "Bank declines" },
    ],
  },
  {
    key: "payout",
    title: "A payout on its way",
    idLabel: "Payout ID",
    outcomes: [
      { value: "paid", label: "Paid" },
      { value: "failed", label: "Failed" },
    ],
  },
  {
    key: "card_application",
    title: "A card application in progress",
    idLabel: "Card application ID",
    outcomes: [{ value: "completed", label: "Issue the card now" }],
  },
  {
    key: "consent",
    title: "A consent waiting for its customer",
    idLabel: "Consent ID",
    outcomes: [
      { value: "authorise", label: "Customer authorises" },
      { value: "reject", label: "Customer rejects" },
    ],
  },
];

export function SandboxPage(props: PageFrame & { csrf: string; writable: boolean; result?: unknown }) {
  return (
    <Layout {...props} active="sandbox">
      <p class="hint">
        The sandbox's bank systems answer at once or after a delay. These buttons make them answer now, with
        the outcome you choose: the same calls as
        <code>POST /v1/sandbox/…</code> in the API reference, and the same events and webhooks follow.
      </p>
      {props.result !== undefined ? (
        <section class="card" aria-label="Result">
          <h2>Result</h2>
          <pre>
            <code id="sandbox-result">{JSON.stringify(props.result, null, 2)}</code>
          </pre>
        </section>
      ) : null}
      {props.writable
        ? SIMULATIONS.map((s) => (
            <section class="card" aria-labelledby={`sim-${s.key}`}>
              <h2 id={`sim-${s.key}`}>{s.title}</h2>
              <ActionForm action={`/portal/sandbox/${s.key}`} csrf={props.csrf} label="Simulate">
                <label for={`${s.key}-id`}>{s.idLabel}</label>
                <input id={`${s.key}-id`} name="id" required maxlength={64} />
                <label for={`${s.key}-outcome`}>Outcome</label>
                <select id={`${s.key}-outcome`} name="outcome">
                  {s.outcomes.map((o) => (
                    <option value={o.value}>{o.label}</option>
                  ))}
                </select>
              </ActionForm>
            </section>
          ))
        : null}
    </Layout>
  );
}
