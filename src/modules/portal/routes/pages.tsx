/** @jsxImportSource hono/jsx */

import { Hono } from "hono";
import type { AppEnv } from "../../../platform/types";
import { pageHeaders } from "../../../platform/web/forms";
import { pageErrors } from "../../../platform/web/page-errors";
import { callApi } from "../api";
import { applyApp } from "../apply/routes/app";
import { OverviewPage, type PartnerProfileView } from "../pages/overview";
import { PORTAL } from "../pages/site";
import { registerAccount } from "./account";
import { frameOf, type PortalEnv, requireSession } from "./context";
import { registerEvents } from "./events";
import { registerInvoices } from "./invoices";
import { registerKeys } from "./keys";
import { registerPlan } from "./plan";
import { registerSandbox } from "./sandbox";
import { registerSignIn } from "./sign-in";
import { registerSla } from "./sla";
import { registerTeam } from "./team";
import { registerUsage } from "./usage";
import { registerWebhooks } from "./webhooks";

/** /portal: the developer portal's pages (docs/portal.md), rendered here with Hono JSX. */
export function portalApp() {
  const portal = new Hono<PortalEnv>();
  portal.use("*", pageHeaders);
  portal.onError(pageErrors(PORTAL));
  portal.route("/", applyApp() as unknown as Hono<PortalEnv>);
  registerSignIn(portal);
  portal.get("/", requireSession(), async (c) => {
    const session = c.get("session");
    const answer = await callApi<PartnerProfileView>(c, session, "GET", "/v1/partner");
    return c.html(
      <OverviewPage
        {...frameOf(c, "Overview")}
        partner={answer.result}
        error={answer.error ? `${answer.error.message} (code ${answer.error.code})` : undefined}
      />,
    );
  });
  registerKeys(portal);
  registerAccount(portal);
  registerWebhooks(portal);
  registerEvents(portal);
  registerUsage(portal);
  registerSla(portal);
  registerPlan(portal);
  registerInvoices(portal);
  registerSandbox(portal);
  registerTeam(portal);
  return portal as unknown as Hono<AppEnv>;
}
