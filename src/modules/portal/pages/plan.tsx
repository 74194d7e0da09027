/** @jsxImportSource hono/jsx */

import { PRODUCTS } from "../../../platform/catalog";
import { timeOf } from "../../../platform/web/format";
import { ActionForm, Layout, type PageFrame } from "../../../platform/web/layout";
import { Table } from "../../../platform/web/parts";
import type { alertView } from "../../billing/alerts";
import type { RatePlan } from "../../billing/plan";
import type { partnerPlanView } from "../../billing/plan-view";
import { callRange, lastDay, money, perCall, percent } from "../../billing/wording";

/** `GET /v1/plan` as the page reads it. */
export type PlanView = NonNullable<Awaited<ReturnType<typeof partnerPlanView>>>;
/** One of `GET /v1/usage/alerts`. */
export type UsageAlert = ReturnType<typeof alertView>;

const OVERAGE = {
  bill: "billed: calls past a product's included calls are charged at its prices",
  block: "blocked: calls past a product's included calls are refused (code 170) until the next period",
} as const;

/** A plan's fees and terms, as a list of facts. */
function Terms(props: { plan: RatePlan }) {
  const p = props.plan;
  const fee = (minor: number | undefined) => (minor ? money(minor, p.currency) : "none");
  const share = p.revenue_share;
  return (
    <dl class="facts">
      <dt>Currency</dt>
      <dd>{p.currency}</dd>
      <dt>Billing period</dt>
      <dd>{p.period}</dd>
      <dt>Setup fee</dt>
      <dd>{fee(p.setup_fee_minor)}</dd>
      <dt>Recurring fee</dt>
      <dd data-fact="recurring-fee">{`${fee(p.recurring_fee_minor)}${p.recurring_fee_minor ? ` a ${p.period}` : ""}`}</dd>
      <dt>Minimum commitment</dt>
      <dd>{fee(p.minimum_commitment_minor)}</dd>
      <dt>Revenue share</dt>
      <dd>
        {share
          ? `${percent(share.bps)} of captured volume${share.fixed_fee_minor ? ` and ${money(share.fixed_fee_minor, p.currency)} a captured payment` : ""}`
          : "none"}
      </dd>
      <dt>Overage</dt>
      <dd data-fact="overage">{OVERAGE[p.overage]}</dd>
    </dl>
  );
}

/** A product's prices past its included calls: `calls 1–1000 at 0.05 USD a call; …`. */
function pricesOf(plan: RatePlan, product: string): string {
  const terms = plan.products[product as keyof RatePlan["products"]];
  if (!terms?.tiers) return "—";
  let from = 1;
  const bands = terms.tiers.map((t) => {
    const band = `${callRange(from, t.up_to)} at ${perCall(t.price, plan.currency)}`;
    from = (t.up_to ?? 0) + 1;
    return band;
  });
  return `${terms.pricing}: ${bands.join("; ")}`;
}

function PlanSection(props: { plan: PlanView }) {
  const v = props.plan;
  const period = v.current_period;
  return (
    <>
      <section class="card" aria-labelledby="plan-version">
        <h2 id="plan-version">{`Plan version ${v.version}, in force since ${v.effective_from}`}</h2>
        <Terms plan={v.plan} />
      </section>
      <Table
        id="plan-usage"
        caption={
          period
            ? `This period, ${period.start} to ${lastDay(period.end)}${period.days === period.days_in_period ? "" : ` (a part period: ${period.days} of ${period.days_in_period} days)`}; the next starts ${v.next_period_start}`
            : `Billing starts ${v.next_period_start}`
        }
        columns={["Product", "Included calls", "Used", "Remaining", "Prices past the included calls"]}
        rows={Object.keys(v.plan.products)}
        empty="The plan includes no calls and prices none."
        row={(product) => {
          const u = v.usage.find((x) => x.product === product);
          return (
            <tr data-product={product}>
              <td>{product}</td>
              <td>{u ? u.included_calls : "—"}</td>
              <td>{u ? u.used_calls : "—"}</td>
              <td>{u ? u.remaining_calls : "—"}</td>
              <td>{pricesOf(v.plan, product)}</td>
            </tr>
          );
        }}
      />
      <section class="card" aria-labelledby="plan-next">
        <h2 id="plan-next">Upcoming versions</h2>
        {v.next ? (
          <div id="plan-next-version">
            <p>{`Version ${v.next.version} starts ${v.next.effective_from}.`}</p>
            <Terms plan={v.next.plan as RatePlan} />
          </div>
        ) : (
          <p>No change is scheduled.</p>
        )}
      </section>
    </>
  );
}

function AlertsSection(props: { alerts: UsageAlert[]; csrf: string; writable: boolean; products: string[] }) {
  return (
    <>
      <p class="hint">
        An alert sends the <code>usage.threshold_reached</code> event to your webhooks once a period, when the
        period's billable calls of its product reach the share of the included calls.
      </p>
      <Table
        id="alerts"
        caption="Your usage alerts"
        columns={["Product", "Threshold", "Created", props.writable && "Actions"]}
        rows={props.alerts}
        empty="No usage alerts."
        row={(a) => (
          <tr data-alert={`${a.product} ${a.threshold_percent}`}>
            <td>{a.product}</td>
            <td>{`${a.threshold_percent} % of the included calls`}</td>
            <td>{timeOf(a.created_at)}</td>
            {props.writable ? (
              <td class="actions">
                <ActionForm
                  action={`/portal/plan/alerts/${a.id}/delete`}
                  csrf={props.csrf}
                  label="Delete"
                  danger
                  inline
                />
              </td>
            ) : null}
          </tr>
        )}
      />
      {props.writable ? (
        <section class="card" aria-labelledby="add-alert">
          <h2 id="add-alert">Add an alert</h2>
          <ActionForm action="/portal/plan/alerts" csrf={props.csrf} label="Add alert">
            <label for="product">Product</label>
            <select id="product" name="product">
              {props.products.map((p) => (
                <option value={p}>{p}</option>
              ))}
            </select>
            <label for="threshold_percent">Threshold (% of the included calls, 1–1000)</label>
            <input
              id="threshold_percent"
              name="threshold_percent"
              type="number"
              min={1}
              max={1000}
              value="80"
              required
            />
          </ActionForm>
        </section>
      ) : null}
    </>
  );
}

/** Plan & usage: the rate plan in force, this period's calls against it, and the usage alerts (GET /v1/plan, /v1/usage/alerts). */
export function PlanPage(
  props: PageFrame & {
    csrf: string;
    writable: boolean;
    plan: PlanView | undefined;
    /** The API answered that the partner has no rate plan. */
    noPlan: boolean;
    alerts: UsageAlert[];
  },
) {
  const included = props.plan?.usage.map((u) => u.product) ?? [];
  return (
    <Layout {...props} active="plan">
      {props.noPlan ? (
        <section class="card" aria-labelledby="no-plan">
          <h2 id="no-plan">No rate plan yet</h2>
          <p id="no-plan-text">
            Your account has no rate plan: nothing is billed and no calls are counted against included ones.
            The bank's platform team sets a plan when your contract has one; it then shows here with this
            period's calls.
          </p>
        </section>
      ) : null}
      {props.plan ? <PlanSection plan={props.plan} /> : null}
      <AlertsSection
        alerts={props.alerts}
        csrf={props.csrf}
        writable={props.writable}
        products={included.length > 0 ? included : [...PRODUCTS]}
      />
    </Layout>
  );
}
