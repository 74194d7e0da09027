import type { Context, Next } from "hono";
import { ApiError } from "../../platform/errors";
import type { AppEnv } from "../../platform/types";
import { loadProfile, profileCache } from "../partners/profile";
import { WWW_AUTHENTICATE } from "../partners/www-authenticate";
import { looksPublishable, PUBLISHABLE_PREFIX, publishableKeyOwner } from "./publishable-keys";

/** The one route a publishable key opens. */
export const TOKENS_PATH = "/v1/tokens";

/** The scope a publishable key's request carries: no other route asks for it. */
export const TOKENIZE_SCOPE = "payments:tokenize";

export { looksPublishable };

/** Whether the request is to the tokenization route, the only one a publishable key may call. */
export const isTokenization = (c: Context<AppEnv>) => c.req.path === TOKENS_PATH;

/**
 * Authenticates a publishable key on POST /v1/tokens: the key must be live and its partner
 * active in this environment. The request then sees the partner with the tokenize scope only
 * (given that the contract grants `payments:write`), so the key can do nothing else even if a
 * route forgot to refuse it. The IP allow-list does not apply: the caller is a customer's browser.
 */
export async function authenticatePublishable(c: Context<AppEnv>, key: string, next: Next) {
  const { config, db } = c.get("services");
  const own = PUBLISHABLE_PREFIX[config.ENVIRONMENT];
  // The bearer scheme's challenge, as every other refused credential answers it.
  const challenge = { headers: { "WWW-Authenticate": WWW_AUTHENTICATE.invalid } };
  if (!key.startsWith(own)) {
    throw new ApiError(
      "environment_mismatch",
      {
        credential_env: config.ENVIRONMENT === "production" ? "sandbox" : "production",
        env: config.ENVIRONMENT,
      },
      challenge,
    );
  }
  const owner = await publishableKeyOwner(db, key, new Date());
  if (!owner) throw new ApiError("invalid_token", {}, challenge);
  const ttlMs = config.PROFILE_CACHE_TTL_SECONDS * 1000;
  const profile = await profileCache.get(owner.partnerId, ttlMs, (id) => loadProfile(db, id));
  if (!profile || profile.environment !== config.ENVIRONMENT)
    throw new ApiError("invalid_token", {}, challenge);
  if (profile.status !== "active") throw new ApiError("partner_suspended");
  const scopes = profile.scopes.includes("payments:write") ? [TOKENIZE_SCOPE] : [];
  c.set("caller", {
    partnerId: profile.id,
    scopes,
    clientId: owner.keyId,
    tokenId: `publishable:${c.get("requestId")}`,
  });
  c.set("partner", { ...profile, scopes });
  c.set("log", c.get("log").with({ partner_id: profile.id }));
  await next();
}
