import { createMiddleware } from "hono/factory";
import { ApiError } from "../../platform/errors";
import type { AppEnv } from "../../platform/types";
import { verifyAccessToken } from "./access";
import { recordAdminAction } from "./audit";
import { roleOf } from "./identities";

/** The one header the admin API reads its caller from: Cloudflare Access's signed assertion. */
export const ACCESS_HEADER = "Cf-Access-Jwt-Assertion";

/**
 * For /admin/*: verifies the Access JWT (src/modules/admin/access.ts) and reads the identity's
 * role from D1. Sets `admin`. A partner's bearer token, a bare `Cf-Access-Authenticated-User-Email`
 * or any other header is never read. An identity without a role passes with role null: the
 * route's role check refuses it, and that refusal is audited.
 */
export const authenticateAdmin = () =>
  createMiddleware<AppEnv>(async function authenticateAdmin(c, next) {
    const { config, db } = c.get("services");
    const token = c.req.header(ACCESS_HEADER)?.trim();
    if (!config.ACCESS_TEAM_DOMAIN || !config.ACCESS_AUD) throw new ApiError("service_unavailable");
    if (!token) throw new ApiError("admin_unauthenticated");
    const who = await verifyAccessToken(config, token);
    const { role, bootstrapped } = await roleOf(db, config, who);
    c.set("admin", { identity: who.email, subject: who.sub, role });
    c.set("log", c.get("log").with({ admin_identity: who.email }));
    if (bootstrapped) {
      await recordAdminAction(db, {
        identity: who.email,
        role,
        action: "identity.bootstrap",
        target: who.email,
        outcome: 200,
        before: null,
        after: { identity: who.email, role },
        reason: "ADMIN_BOOTSTRAP_EMAIL: the first admin",
        requestId: c.get("requestId"),
      });
    }
    await next();
  });
