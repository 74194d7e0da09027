import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../../platform/errors";
import type { AppEnv } from "../../platform/types";
import { grantStands } from "../oauth/grant-storage";
import { WWW_AUTHENTICATE } from "../partners/www-authenticate";
import { type ConsentDeps, type UsableConsent, usableConsent } from "./consents";
import { type ConsentScope, tokenCoversConsentScope } from "./model";

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
 * The one open banking gate: the consent must be one of the caller's own, Authorised, unexpired
 * and covering `scope` (codes 70, 71, 72). A token of the consent flow names its consent (a
 * `Consent-Id` header, if sent, must name the same: 270) and its grant, read here with the
 * consent so a revoked grant stops its tokens at once (11); any other token names the consent
 * in the `Consent-Id` header. Runs after the route's entitlement check, so an unlicensed partner
 * learns nothing about consents.
 */
export const requireConsent = (scope: ConsentScope) =>
  createMiddleware<AppEnv>(async function requireConsent(c, next) {
    const caller = c.get("caller");
    const partnerId = c.get("partner").id;
    const header = c.req.header("Consent-Id");
    if (!caller.consentId) {
      c.set("consent", await usableConsent(consentDeps(c), partnerId, header, scope));
      return next();
    }
    const { consentId, grantId } = caller;
    if (header !== undefined && header.trim().toLowerCase() !== consentId.toLowerCase()) {
      throw new ApiError("consent_token_mismatch");
    }
    // The authorization request may have narrowed the token to some of the consent's scopes.
    if (!tokenCoversConsentScope(caller.scopes, scope))
      throw new ApiError("consent_scope_missing", { scope });
    const [consent, stands] = await Promise.all([
      usableConsent(consentDeps(c), partnerId, consentId, scope),
      grantId ? grantStands(c.get("services").db, grantId, partnerId, consentId) : false,
    ]);
    if (!stands) {
      throw new ApiError("invalid_token", {}, { headers: { "WWW-Authenticate": WWW_AUTHENTICATE.invalid } });
    }
    c.set("consent", consent);
    await next();
  });
