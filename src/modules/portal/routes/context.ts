import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ApiError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/types";
import { formOf, sameOrigin } from "../../../platform/web/forms";
import { may, SESSION_ABSOLUTE_MS, SESSION_COOKIE } from "../model";
import { PORTAL } from "../pages/site";
import { csrfMatches, type LiveSession, liveSession } from "../session";

export { formOf, sameOrigin };

export type PortalEnv = AppEnv & { Variables: AppEnv["Variables"] & { session: LiveSession } };
export type PortalContext = Context<PortalEnv>;

/** The session cookie: `__Host-`, HttpOnly, Secure, SameSite=Strict, gone when the browser closes or at the absolute timeout. */
export function setSessionCookie(c: Context, value: string) {
  setCookie(c, SESSION_COOKIE, value, {
    prefix: "host",
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}

export const clearSessionCookie = (c: Context) =>
  deleteCookie(c, SESSION_COOKIE, { prefix: "host", secure: true, path: "/" });

export const sessionCookie = (c: Context) => getCookie(c, SESSION_COOKIE, "host");

/**
 * A signed-in page: the session must be live and complete (both factors), and every POST must
 * carry the session's CSRF token from the same origin. Without a session, a page sends the
 * browser to sign in (saying why when a cookie was there: it expired or was revoked).
 */
export const requireSession =
  (stage: LiveSession["stage"] = "full"): MiddlewareHandler<PortalEnv> =>
  async (c, next) => {
    const cookie = sessionCookie(c);
    const session = await liveSession(c.get("services").db, cookie);
    if (!session || session.stage !== stage) {
      if (cookie) clearSessionCookie(c);
      return c.redirect(cookie ? "/portal/sign-in?ended=1" : "/portal/sign-in", 303);
    }
    if (c.req.method === "POST") {
      const form = await formOf(c);
      if (!sameOrigin(c) || !csrfMatches(session, form.csrf)) throw new ApiError("portal_csrf");
    }
    c.set("session", session);
    await next();
  };

/** The frame every signed-in page shares: its title, the environment, the user and the CSRF token. */
export function frameOf(c: PortalContext, title: string) {
  const session = c.get("session");
  return {
    site: PORTAL,
    title,
    environment: c.get("services").config.ENVIRONMENT,
    user: session.user,
    csrf: session.csrfToken,
    writable: may.write(session.user.role),
  };
}

/** A datetime-local field (UTC, as the form says) as an ISO time; undefined when empty or not one. */
export function isoOf(local: string | undefined): string | undefined {
  if (!local) return undefined;
  const ms = Date.parse(/Z$|[+-]\d\d:\d\d$/.test(local) ? local : `${local}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
