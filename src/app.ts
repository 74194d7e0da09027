import { OpenAPIHono } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { SmartRouter } from "hono/router/smart-router";
import { TrieRouter } from "hono/router/trie-router";
import {
  authenticate,
  authenticateAdmin,
  isProductionOnlyPath,
  MODULES,
  meterCalls,
  originListedByAnyPartner,
  recordRequests,
  termsGate,
} from "./modules";
import { validationError } from "./platform/envelope";
import { handleError } from "./platform/error-handler";
import { ApiError } from "./platform/errors";
import { CachedRouter } from "./platform/http/cached-router";
import { apiVersion, versionEcho } from "./platform/middleware/api-version";
import { requestContext } from "./platform/middleware/context";
import { cors } from "./platform/middleware/cors";
import { idempotency } from "./platform/middleware/idempotency";
import { jsonBody } from "./platform/middleware/json-body";
import { minimiseResponses } from "./platform/middleware/minimise";
import { rateLimit } from "./platform/middleware/rate-limit";
import { routeGuard } from "./platform/middleware/route-guard";
import { safeDefaults } from "./platform/middleware/safe-defaults";
import type { AppEnv } from "./platform/types";

/**
 * The request path: safe headers → context (request id, logger, services) → CORS (/v1 and the token
 * endpoint: preflights answered, the listed origin allowed on the way out) → for /v1: the version echo →
 * authentication → the request log (written after the answer, refusals from here on included) → metering (counted after the answer, off the request path) → rate limit → overdue terms (production, code 24) → route guard (404/405) → JSON body (413/415/2) → the API version
 * (80; older versions upgraded on the way in, downgraded on the way out) → idempotency (POST) →
 * data minimisation → the route's audit trail, entitlement and schema validation → handler → service.
 * For /admin: the Access JWT → production-only paths (404 in the sandbox) → route guard → JSON body →
 * the admin audit trail, role → handler.
 */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>({
    // Hono's default router, with its answers remembered per path.
    router: new CachedRouter(new SmartRouter({ routers: [new RegExpRouter(), new TrieRouter()] })),
    defaultHook: (result) => {
      // zod-validator passes the raw input as `data` on failure too; its type omits it.
      if (!result.success)
        throw validationError(result.error, (result as { data?: unknown }).data, result.target);
    },
  });
  const guard = routeGuard(app);

  app.onError(handleError);
  // What the guard let through and no route matched still answers the envelope, never Hono's text.
  app.notFound((c) =>
    handleError(new ApiError("route_not_found", { method: c.req.method, path: c.req.path }), c),
  );
  app.use("*", safeDefaults());
  app.use("*", requestContext());
  app.use("*", cors(originListedByAnyPartner));
  // The control plane's calls (onboarding, terms) exist only in production: 404 before anything
  // else; under /admin, after authentication, as for any admin path that does not exist.
  const productionOnly = createMiddleware<AppEnv>(async function productionOnly(c, next) {
    if (c.get("services").config.ENVIRONMENT !== "production" && isProductionOnlyPath(c.req.path))
      throw new ApiError("route_not_found", { method: c.req.method, path: c.req.path });
    await next();
  });
  app.use("*", async function productionOnlyOutsideAdmin(c, next) {
    return c.req.path.startsWith("/admin/") ? next() : productionOnly(c, next);
  });
  // Every /v1 answer says which API version it speaks, also those refused before the partner is known.
  app.use("/v1/*", versionEcho());
  app.use("*", async function publicGuard(c, next) {
    return c.req.path.startsWith("/v1/") || c.req.path.startsWith("/admin/") ? next() : guard(c, next);
  });
  // The sandbox's simulate calls do not exist in production: 404 before anything else.
  app.use("/v1/sandbox/*", async function sandboxOnly(c, next) {
    if (c.get("services").config.ENVIRONMENT === "production")
      throw new ApiError("route_not_found", { method: c.req.method, path: c.req.path });
    await next();
  });
  app.use(
    "/v1/*",
    authenticate(),
    recordRequests(),
    meterCalls(),
    rateLimit(),
    termsGate(),
    guard,
    jsonBody(),
    apiVersion(),
    idempotency(MODULES.flatMap((m) => m.ownKeys ?? [])),
    minimiseResponses(),
  );

  // The platform team's admin API: Cloudflare Access, never a partner's token (docs/admin.md).
  // `/admin` itself is no route: the public guard answers it 404 before this runs.
  app.use("/admin/*", authenticateAdmin(), productionOnly, guard, jsonBody());

  for (const module of MODULES) module.register(app);
  return app;
}
