/** @jsxImportSource hono/jsx */

import { Hono } from "hono";
import { handleError } from "../../../platform/error-handler";
import { ApiError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/types";
import { pageHeaders } from "../../../platform/web/forms";
import { Layout } from "../../../platform/web/layout";
import { callApi } from "../api";
import { OverviewPage, type PartnerProfileView } from "../pages/overview";
import { PORTAL } from "../pages/site";
import { registerAccount } from "./account";
import { frameOf, type PortalEnv, requireSession } from "./context";
import { registerEvents } from "./events";
import { registerKeys } from "./keys";
import { registerSandbox } from "./sandbox";
import { registerSignIn } from "./sign-in";
import { registerTeam } from "./team";
import { registerUsage } from "./usage";
import { registerWebhooks } from "./webhooks";

/** A refusal the portal itself makes (CSRF, a role, a bad form), as a page with its code. */
function errorPage(environment: string, err: ApiError) {
  return (
    <Layout site={PORTAL} title="This did not work" environment={environment}>
      <p class="flash flash-error" role="alert">
        {err.message} (code {err.code})
      </p>
      <p>
        <a href="/portal">Back to the portal</a>
      </p>
    </Layout>
  );
}

/** /portal: the developer portal's pages (docs/portal.md), rendered here with Hono JSX. */
export function portalApp() {
  const portal = new Hono<PortalEnv>();
  portal.use("*", pageHeaders);
  portal.onError((err, c) => {
    // A path that does not exist here answers as any such path does: the envelope, not a page.
    if (err instanceof ApiError && err.reason === "route_not_found") return handleError(err, c as never);
    const environment = c.get("services").config.ENVIRONMENT;
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; frame-ancestors 'none'");
    c.header("Cache-Control", "no-store");
    if (err instanceof ApiError) return c.html(errorPage(environment, err), err.status);
    // The error's name only: a message may quote what the user typed.
    c.get("log").error("portal page failed", { error: err instanceof Error ? err.name : "unknown" });
    return c.html(errorPage(environment, new ApiError("unknown")), 500);
  });
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
  registerSandbox(portal);
  registerTeam(portal);
  return portal as unknown as Hono<AppEnv>;
}
