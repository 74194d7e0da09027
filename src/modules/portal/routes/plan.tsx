/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Flash, flashOf, statusOf } from "../../../platform/web/answer";
import { callApi } from "../api";
import { PlanPage, type PlanView, type UsageAlert } from "../pages/plan";
import { formOf, frameOf, type PortalContext, type PortalEnv, requireSession } from "./context";

/** The page: the plan (404 from the API is "no plan", not an error) and the alerts, with `flash` after an action. */
async function render(c: PortalContext, flash?: Flash, code?: ContentfulStatusCode) {
  const session = c.get("session");
  const [plan, alerts] = await Promise.all([
    callApi<PlanView>(c, session, "GET", "/v1/plan"),
    callApi<{ data: UsageAlert[] }>(c, session, "GET", "/v1/usage/alerts"),
  ]);
  const noPlan = plan.status === 404;
  const refused = [plan, alerts].find((a) => a.error && !(a === plan && noPlan));
  const shown = flash ?? (refused ? flashOf(refused, "") : undefined);
  return c.html(
    <PlanPage
      {...frameOf(c, "Plan & usage")}
      plan={plan.result}
      noPlan={noPlan}
      alerts={alerts.result?.data ?? []}
      {...(shown ? { flash: shown } : {})}
    />,
    code ?? (refused ? statusOf(refused) : 200),
  );
}

export function registerPlan(portal: Hono<PortalEnv>) {
  portal.get("/plan", requireSession(), (c) => render(c));

  portal.post("/plan/alerts", requireSession(), async (c) => {
    const form = await formOf(c);
    const threshold = Number(form.threshold_percent);
    const answer = await callApi<UsageAlert>(c, c.get("session"), "POST", "/v1/usage/alerts", {
      params: {
        product: form.product ?? "",
        threshold_percent: Number.isInteger(threshold) ? threshold : form.threshold_percent,
      },
      idempotencyKey: form.idempotency_key,
    });
    const a = answer.result;
    return render(
      c,
      flashOf(answer, `Alert at ${a?.threshold_percent} % of the included ${a?.product} calls added.`),
      statusOf(answer),
    );
  });

  portal.post("/plan/alerts/:id/delete", requireSession(), async (c) => {
    const answer = await callApi(
      c,
      c.get("session"),
      "DELETE",
      `/v1/usage/alerts/${encodeURIComponent(c.req.param("id"))}`,
    );
    return render(c, flashOf(answer, "Alert deleted."), statusOf(answer));
  });
}
