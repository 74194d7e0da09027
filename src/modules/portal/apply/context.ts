import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ApiError } from "../../../platform/errors";
import { constantTimeTextEqual } from "../../../platform/lib/secret-hash";
import type { AppEnv } from "../../../platform/types";
import { formOf, sameOrigin, uploadOf } from "../../../platform/web/forms";
import { type ApplicantSession, liveApplicantSession } from "./session";
import { APPLY } from "./site";

export type ApplyEnv = AppEnv & { Variables: AppEnv["Variables"] & { applicant: ApplicantSession } };
export type ApplyContext = Context<ApplyEnv>;

/** `__Host-` (Secure, Path=/, no Domain), HttpOnly, SameSite=Strict; apart from the partner users' cookie. */
const COOKIE = "portico_applicant";

export function setApplicantCookie(c: Context, value: string, expiresAt: string) {
  setCookie(c, COOKIE, value, {
    prefix: "host",
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    expires: new Date(expiresAt),
  });
}

export const clearApplicantCookie = (c: Context) =>
  deleteCookie(c, COOKIE, { prefix: "host", secure: true, path: "/" });

/** The onboarding pages exist only where the onboarding API does: production. Elsewhere, 404 like any unknown path. */
export const productionOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get("services").config.ENVIRONMENT !== "production")
    throw new ApiError("route_not_found", { method: c.req.method, path: c.req.path });
  await next();
};

/**
 * A registrant's page: a live session (else to the sign-in, saying why when a cookie was there),
 * and every POST from the same origin with the session's CSRF token.
 */
export const requireApplicant =
  (upload?: { maxBytes: number }): MiddlewareHandler<ApplyEnv> =>
  async (c, next) => {
    const { db, config } = c.get("services");
    const cookie = getCookie(c, COOKIE, "host");
    const session = await liveApplicantSession(db, config, cookie);
    if (!session) {
      if (cookie) clearApplicantCookie(c);
      return c.redirect(cookie ? "/portal/apply/sign-in?ended=1" : "/portal/apply/sign-in", 303);
    }
    if (c.req.method === "POST") {
      const token = upload ? (await uploadOf(c, upload.maxBytes)).fields.csrf : (await formOf(c)).csrf;
      if (!sameOrigin(c) || !constantTimeTextEqual(token, session.csrfToken))
        throw new ApiError("portal_csrf");
    }
    c.set("applicant", session);
    await next();
  };

/** The frame every registrant's page shares. */
export function applyFrame(c: ApplyContext, title: string, active: string) {
  const session = c.get("applicant");
  return {
    site: APPLY,
    title,
    active,
    environment: c.get("services").config.ENVIRONMENT,
    user: { username: "registrant", role: "applicant" },
    csrf: session.csrfToken,
  };
}
