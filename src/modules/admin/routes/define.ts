import { createRoute, type OpenAPIHono, type RouteConfig, type RouteHandler } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { ApiError, type ErrorName } from "../../../platform/errors";
import { errorResponses } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { recordAdminAction } from "../audit";
import { type Role, roleAtLeast } from "../model";

/** Every admin route can refuse with these: Access authentication, the role, routing, validation, configuration. */
const EVERY_ADMIN_ROUTE: readonly ErrorName[] = [
  "unparseable_field",
  "validation",
  "method_not_allowed",
  "route_not_found",
  "admin_unauthenticated",
  "admin_token_invalid",
  "admin_token_expired",
  "admin_no_role",
  "admin_role_insufficient",
  "service_unavailable",
  "upstream_unavailable",
];
const BODY_ROUTE: readonly ErrorName[] = ["invalid_json", "payload_too_large", "unsupported_media_type"];

/** The role check: no role is 103, too small a role 104 (naming the role needed). */
const requireRole = (role: Role) =>
  createMiddleware<AppEnv>(async function requireRole(c, next) {
    const held = c.get("admin").role;
    if (held === null) throw new ApiError("admin_no_role");
    if (!roleAtLeast(held, role)) throw new ApiError("admin_role_insufficient", { role });
    await next();
  });

/**
 * The admin audit trail: every call that got past authentication, refusals included, with the
 * identity, its role, the action, the target and the route's before/after (secrets removed).
 * Written before the answer leaves.
 */
const adminAuditTrail = (action: string, partnerScoped: boolean) =>
  createMiddleware<AppEnv>(async function adminAuditTrail(c, next) {
    await next();
    const admin = c.get("admin");
    const note = c.get("adminAudit") ?? {};
    const ok = c.res.status < 300;
    const id = c.req.param("id");
    await recordAdminAction(c.get("services").db, {
      identity: admin.identity,
      role: admin.role,
      action,
      target: note.target ?? id,
      // A route under /partners/{id} is about that partner even when it was refused before its handler.
      partnerId: note.partnerId ?? (partnerScoped ? id : undefined),
      outcome: c.res.status,
      ...(ok && (note.before !== undefined || note.after !== undefined)
        ? { before: note.before, after: note.after }
        : {}),
      reason: note.reason,
      requestId: c.get("requestId"),
    });
  });

/**
 * An admin route: its OpenAPI description (the Access scheme, the role in `x-portico-admin-role`,
 * every refusal it can answer), the audit trail and the role check, in one place.
 */
export function adminRoute<R extends RouteConfig & { operationId: string }>(
  access: { role: Role; action: string; errors?: readonly ErrorName[] },
  config: R,
) {
  const m = config.method.toUpperCase();
  return createRoute({
    ...config,
    security: [{ cloudflareAccess: [] }],
    middleware: [
      adminAuditTrail(access.action, config.path.startsWith("/admin/v1/partners/{id}")),
      requireRole(access.role),
    ],
    responses: {
      ...errorResponses([
        ...EVERY_ADMIN_ROUTE,
        ...(["POST", "PUT", "PATCH"].includes(m) ? BODY_ROUTE : []),
        ...(config.path.includes("{") ? (["not_found"] as const) : []),
        ...(access.errors ?? []),
      ]),
      ...config.responses,
    },
    "x-portico-admin-role": access.role,
  });
}

/** Where admin routes go: served by the app, documented only in the admin document. */
export interface AdminTarget {
  app: OpenAPIHono<AppEnv>;
  doc: OpenAPIHono<AppEnv>;
}

/**
 * Serves a route on the app, hidden from the partners' document, and documents it in the admin
 * document instead: `/openapi.json` never lists an admin operation.
 */
export function serve<R extends RouteConfig>(
  target: AdminTarget,
  route: R,
  handler: RouteHandler<R, AppEnv>,
) {
  const { middleware: _middleware, ...documented } = route;
  target.doc.openAPIRegistry.registerPath(documented as RouteConfig);
  target.app.openapi({ ...route, hide: true } as R, handler);
}
