/** @jsxImportSource hono/jsx */
import type { Hono } from "hono";
import { flashOf, statusOf } from "../../../platform/web/answer";
import type { SlaReport } from "../../billing/sla/report";
import { callApi } from "../api";
import { SlaPage } from "../pages/sla";
import { frameOf, type PortalEnv, requireSession } from "./context";

/** The month before this one (UTC), `YYYY-MM`. */
const lastMonth = (now: Date) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);

export function registerSla(portal: Hono<PortalEnv>) {
  portal.get("/sla", requireSession(), async (c) => {
    const session = c.get("session");
    const [current, previous] = await Promise.all([
      callApi<SlaReport>(c, session, "GET", "/v1/sla"),
      callApi<SlaReport>(c, session, "GET", "/v1/sla", {
        query: new URLSearchParams({ month: lastMonth(new Date()) }),
      }),
    ]);
    const refused = current.error ? current : previous;
    return c.html(
      <SlaPage
        {...frameOf(c, "Service level")}
        months={[current.result, previous.result].filter((m): m is SlaReport => m !== undefined)}
        {...(refused.error ? { flash: flashOf(refused, "") } : {})}
      />,
      statusOf(refused),
    );
  });
}
