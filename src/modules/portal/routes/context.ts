import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ApiError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/types";
import { may, SESSION_ABSOLUTE_MS, SESSION_COOKIE } from "../model";
import { csrfMatches, type LiveSession, liveSession } from "../session";

export type PortalEnv = AppEnv & { Variables: AppEnv["Variables"] & { session: LiveSession } };
export type PortalContext = Context<PortalEnv>;

/**
 * The portal's pages: no inline script or style, nothing from another origin, forms only to the
 * portal itself, never framed, never cached.
 */
export const PORTAL_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const pageHeaders: MiddlewareHandler<PortalEnv> = async (c, next) => {
  await next();
  c.res.headers.set("Content-Security-Policy", PORTAL_CSP);
  c.res.headers.set("Cache-Control", "no-store");
};

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
 * Every change comes from the portal's own pages: Fetch Metadata says same-origin, and an Origin
 * header, when the browser sends a real one, is this origin. (Under the pages' no-referrer
 * policy Chromium sends `Origin: null` with a form; Sec-Fetch-Site still tells.) The sign-in
 * form has no session yet: this is its CSRF defence.
 */
export function sameOrigin(c: Context): boolean {
  const origin = c.req.header("Origin");
  const site = c.req.header("Sec-Fetch-Site");
  if (origin && origin !== "null" && origin !== new URL(c.req.url).origin) return false;
  if (site) return site === "same-origin";
  return Boolean(origin && origin !== "null");
}

/** A portal form is a few fields: 16 KiB is far more than any of them needs. */
const MAX_FORM_BYTES = 16 * 1024;

/** The form's fields as strings (a file or a repeated field is not one of ours); 413 past the limit. */
export async function formOf(c: Context): Promise<Record<string, string>> {
  const type = c.req.header("Content-Type") ?? "";
  const length = Number(c.req.header("Content-Length") ?? "0");
  if (!Number.isFinite(length) || length > MAX_FORM_BYTES)
    throw new ApiError("payload_too_large", { limit: MAX_FORM_BYTES });
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
    return {};
  const body = await c.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === "string") fields[name] = value;
  return fields;
}

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
    title,
    environment: c.get("services").config.ENVIRONMENT,
    user: session.user,
    csrf: session.csrfToken,
    writable: may.write(session.user.role),
  };
}

/** An API answer as the page's notice: what was done, or the refusal with its code. */
export function flashOf(
  answer: { error?: { code: number; message: string } | undefined; status: number },
  done: string,
) {
  return answer.error
    ? { kind: "error" as const, text: `${answer.error.message} (code ${answer.error.code})` }
    : { kind: "ok" as const, text: done };
}

/** A datetime-local field (UTC, as the form says) as an ISO time; undefined when empty or not one. */
export function isoOf(local: string | undefined): string | undefined {
  if (!local) return undefined;
  const ms = Date.parse(/Z$|[+-]\d\d:\d\d$/.test(local) ? local : `${local}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
