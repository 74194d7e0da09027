import { createMiddleware } from "hono/factory";
import { ApiError } from "../../platform/errors";
import { internalCallerOf } from "../../platform/internal-call";
import type { AppEnv } from "../../platform/types";
import { TokenRejected, verifyAccessToken } from "../oauth/access-tokens";
import { authenticatePublishable, isTokenization, looksPublishable } from "../payment-methods/authenticate";
import { CLIENT_ADDRESS_HEADER, checkAddress } from "./ip-allowlist";
import { loadProfile, profileCache } from "./profile";
import { confirmSender } from "./sender-constraint";

import { WWW_AUTHENTICATE } from "./www-authenticate";

export { WWW_AUTHENTICATE };

// `DPoP` is the scheme of a DPoP-bound token (RFC 9449 §7.1); both carry the token the same way.
const BEARER = /^(Bearer|DPoP)[ \t]+(\S*)[ \t]*$/i;

/**
 * Verifies the bearer token and loads the partner's profile from the per-isolate cache
 * (D1 only on a miss), then holds the caller's address to the contract's IP allow-list (23).
 * Sets `caller` and `partner`. A request the portal sends on a signed-in user's behalf
 * (src/platform/internal-call.ts) carries its caller instead of a token; the allow-list, which
 * binds the partner's servers, does not apply to a person in the portal.
 */
export const authenticate = () =>
  createMiddleware<AppEnv>(async function authenticate(c, next) {
    const { config, db } = c.get("services");
    const internal = internalCallerOf(c.req.raw);
    if (internal) {
      const ttlMs = config.PROFILE_CACHE_TTL_SECONDS * 1000;
      const profile = await profileCache.get(internal.partnerId, ttlMs, (id) => loadProfile(db, id));
      if (!profile || profile.environment !== config.ENVIRONMENT) throw new ApiError("invalid_token");
      if (profile.status !== "active") throw new ApiError("partner_suspended");
      c.set("caller", {
        partnerId: profile.id,
        scopes: internal.readOnly ? profile.scopes.filter((s) => s.endsWith(":read")) : profile.scopes,
        clientId: internal.clientId,
        tokenId: `internal:${c.get("requestId")}`,
      });
      c.set("partner", profile);
      c.set("log", c.get("log").with({ partner_id: profile.id }));
      return next();
    }
    const header = c.req.header("Authorization");
    const match = header ? BEARER.exec(header) : null;
    if (!header || (!match && !/^(Bearer|DPoP)\b/i.test(header))) {
      throw new ApiError(
        "unauthenticated",
        {},
        { headers: { "WWW-Authenticate": WWW_AUTHENTICATE.missing } },
      );
    }
    const invalid = () =>
      new ApiError("invalid_token", {}, { headers: { "WWW-Authenticate": WWW_AUTHENTICATE.invalid } });
    const token = match?.[2];
    if (!token) throw invalid();
    // A publishable key opens POST /v1/tokens and nothing else; that route takes nothing else.
    if (looksPublishable(token)) {
      if (isTokenization(c)) return authenticatePublishable(c, token, next);
      throw new ApiError(
        "publishable_key_not_allowed",
        {},
        { headers: { "WWW-Authenticate": WWW_AUTHENTICATE.invalid } },
      );
    }
    if (isTokenization(c)) {
      throw new ApiError(
        "publishable_key_required",
        {},
        { headers: { "WWW-Authenticate": WWW_AUTHENTICATE.invalid } },
      );
    }

    let claims: Awaited<ReturnType<typeof verifyAccessToken>>;
    try {
      claims = await verifyAccessToken(config, token);
    } catch (err) {
      if (!(err instanceof TokenRejected)) throw err;
      if (err.failure === "expired") {
        throw new ApiError(
          "token_expired",
          {},
          { headers: { "WWW-Authenticate": WWW_AUTHENTICATE.expired } },
        );
      }
      if (err.failure === "wrong_environment") {
        throw new ApiError(
          "environment_mismatch",
          {
            credential_env: config.ENVIRONMENT === "production" ? "sandbox" : "production",
            env: config.ENVIRONMENT,
          },
          { headers: { "WWW-Authenticate": WWW_AUTHENTICATE.invalid } },
        );
      }
      throw invalid();
    }

    const ttlMs = config.PROFILE_CACHE_TTL_SECONDS * 1000;
    const load = (id: string) => loadProfile(db, id);
    let profile = await profileCache.get(claims.sub, ttlMs, load);
    if (profile && !profile.activeClientIds.includes(claims.client_id)) {
      // iat has second precision: anything loaded before the end of that second may predate the key.
      profile = await profileCache.refresh(claims.sub, ttlMs, load, (claims.iat + 1) * 1000);
    }
    if (!profile || profile.environment !== config.ENVIRONMENT) throw invalid();
    if (!profile.activeClientIds.includes(claims.client_id)) throw invalid();
    if (profile.revokedTokenIds.includes(claims.jti)) throw invalid();
    if (profile.status !== "active") throw new ApiError("partner_suspended");
    const sender = {
      config,
      env: c.env,
      method: c.req.method,
      url: c.req.url,
      dpop: c.req.header("DPoP"),
      cf: c.req.raw.cf,
    };
    await confirmSender(
      sender,
      claims,
      profile,
      match?.[1]?.toLowerCase() === "dpop" ? "dpop" : "bearer",
      token,
    );
    const address = checkAddress(profile.ipAllowlist, c.req.header(CLIENT_ADDRESS_HEADER));
    if (!address.allowed) {
      c.get("log").warn("address not in the IP allow-list", {
        partner_id: profile.id,
        network: address.network,
      });
      throw new ApiError("ip_not_allowed");
    }

    c.set("caller", {
      partnerId: profile.id,
      scopes: claims.scope.split(" ").filter(Boolean),
      clientId: claims.client_id,
      tokenId: claims.jti,
      ...(claims.consent_id ? { consentId: claims.consent_id } : {}),
      ...(claims.grant_id ? { grantId: claims.grant_id } : {}),
    });
    c.set("partner", profile);
    c.set("log", c.get("log").with({ partner_id: profile.id }));
    await next();
  });
