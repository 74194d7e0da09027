/** @jsxImportSource hono/jsx */

import { Layout, type PageFrame } from "../../../platform/web/layout";
import type { SlaReport } from "../../billing/sla/report";
import { SlaTable } from "../../billing/sla/view";

/** Service level: this month's and last month's measurement against the tier's targets (GET /v1/sla). */
export function SlaPage(props: PageFrame & { months: SlaReport[] }) {
  const tier = props.months[0]?.tier;
  return (
    <Layout {...props} active="sla">
      <section class="card" aria-labelledby="sla-about">
        <h2 id="sla-about">Your service levels</h2>
        <p>
          {tier === "sandbox"
            ? "Your plan (sandbox) has no service-level targets; the figures are shown for your information."
            : `Your plan (${tier ?? "unknown"}) promises the availability and p95 latency targets below, measured each calendar month (UTC) from your request log.`}{" "}
          Availability is the share of calls answered without a server-side error (5xx); calls refused with
          429 by your own rate limit or quota are not measured. A missed target earns a service credit on that
          period's invoice.
        </p>
      </section>
      {props.months.length > 0 ? (
        <SlaTable months={props.months} caption="This month and last month" />
      ) : null}
    </Layout>
  );
}
