/** @jsxImportSource hono/jsx */

import type { Hono, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../../../platform/errors";
import { flashOf } from "../../../platform/web/answer";
import { callApi } from "../api";
import { SandboxPage, SIMULATIONS } from "../pages/sandbox";
import { formOf, frameOf, type PortalEnv, requireSession } from "./context";

/** Each button's API call: its path and body for the chosen outcome. */
function callFor(
  kind: string,
  id: string,
  outcome: string,
): { path: string; params?: Record<string, unknown> } | undefined {
  const at = encodeURIComponent(id);
  switch (kind) {
    case "payment":
      return { path: `/v1/sandbox/payments/${at}/simulate`, params: { outcome } };
    case "payout":
      return { path: `/v1/sandbox/payouts/${at}/simulate`, params: { outcome } };
    case "card_application":
      return { path: `/v1/sandbox/cards/applications/${at}/simulate` };
    case "consent":
      return outcome === "reject"
        ? { path: `/v1/sandbox/consents/${at}/reject` }
        : { path: `/v1/sandbox/consents/${at}/authorise` };
    default:
      return undefined;
  }
}

/** The sandbox's buttons do not exist in production: 404 before anything else, as for /v1/sandbox. */
const sandboxOnly: MiddlewareHandler<PortalEnv> = async (c, next) => {
  if (c.get("services").config.ENVIRONMENT === "production")
    throw new ApiError("route_not_found", { method: c.req.method, path: c.req.path });
  await next();
};

export function registerSandbox(portal: Hono<PortalEnv>) {
  portal.use("/sandbox", sandboxOnly);
  portal.use("/sandbox/*", sandboxOnly);
  portal.get("/sandbox", requireSession(), (c) => c.html(<SandboxPage {...frameOf(c, "Sandbox")} />));

  portal.post("/sandbox/:kind", requireSession(), async (c) => {
    const kind = c.req.param("kind");
    const form = await formOf(c);
    const simulation = SIMULATIONS.find((s) => s.key === kind);
    const outcome = form.outcome ?? "";
    const call = simulation?.outcomes.some((o) => o.value === outcome)
      ? callFor(kind, (form.id ?? "").trim(), outcome)
      : undefined;
    if (!call)
      throw new ApiError("validation", { field: "outcome", msg: "not one of this button's outcomes" });
    const answer = await callApi(c, c.get("session"), "POST", call.path, {
      ...(call.params ? { params: call.params } : {}),
      idempotencyKey: form.idempotency_key,
    });
    return c.html(
      <SandboxPage
        {...frameOf(c, "Sandbox")}
        flash={flashOf(answer, `${simulation?.title ?? kind}: done.`)}
        result={answer.result ?? answer.error}
      />,
      answer.status >= 400 ? (answer.status as ContentfulStatusCode) : 200,
    );
  });
}
