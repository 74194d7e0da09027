import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../platform/types";
import { type ConsentDeps, type UsableConsent, usableConsent } from "./consents";
import type { ConsentScope } from "./model";

declare module "hono" {
  interface ContextVariableMap {
    /** The consent an account-information call reads with, checked by `requireConsent`. */
    consent: UsableConsent;
  }
}

/** What the consent service needs, from the request's services. */
export const consentDeps = (c: Context<AppEnv>): ConsentDeps => ({
  db: c.get("services").db,
  queue: c.env.EVENTS_QUEUE,
  config: c.get("services").config,
  log: c.get("log"),
});

/**
 * The one open banking gate: the `Consent-Id` header must name one of the caller's own
 * consents, Authorised, unexpired and covering `scope` (codes 70, 71, 72). Runs after the
 * route's entitlement check, so an unlicensed partner learns nothing about consents.
 */
export const requireConsent = (scope: ConsentScope) =>
  createMiddleware<AppEnv>(async function requireConsent(c, next) {
    const consent = await usableConsent(
      consentDeps(c),
      c.get("partner").id,
      c.req.header("Consent-Id"),
      scope,
    );
    c.set("consent", consent);
    await next();
  });
