import { OAuthError } from "../../platform/oauth-error";
import type { PartnerProfile } from "../../platform/types";
import { profileCache } from "../partners/profile";
import { authenticateClient } from "./client-auth";
import { revokeAccessToken } from "./grant-storage";
import { endGrant } from "./grant-tokens";
import { findPartnerToken } from "./token-lookup";
import type { ClientRequest, OAuthDeps } from "./types";

/**
 * `POST /oauth2/revoke` (RFC 7009): the client revokes one of its partner's tokens. A refresh
 * token revokes its grant whole (every refresh and access token of the chain); an access token
 * revokes that token (its `jti`), until it would have expired. An unknown, expired or another
 * partner's token changes nothing and is answered the same (§2.2). Revoked access tokens are
 * loaded with the partner's profile: refused at once in this isolate, and everywhere within the
 * profile cache's TTL (PROFILE_CACHE_TTL_SECONDS); consent-bound ones at once everywhere, where the
 * consent gate reads the grant.
 */
export async function revokeToken(
  deps: OAuthDeps,
  request: ClientRequest,
  params: Record<string, string | undefined>,
  identified: (profile: PartnerProfile) => void = () => {},
): Promise<void> {
  const client = await authenticateClient(deps, request, params, identified);
  if (!params.token) throw new OAuthError("invalid_request", "token is required");
  const partnerId = client.profile.id;
  const found = await findPartnerToken(deps, partnerId, params.token, params.token_type_hint);
  if (!found) return;
  const now = new Date().toISOString();
  if (found.kind === "refresh_token") {
    await endGrant(deps, found.grant, "revoked_by_client", now);
  } else {
    await revokeAccessToken(deps.db, {
      jti: found.claims.jti,
      partnerId,
      expiresAt: new Date(found.claims.exp * 1000).toISOString(),
      revokedAt: now,
    });
  }
  // The next call of this partner in this isolate reloads its profile, with the revoked token.
  profileCache.invalidate(partnerId);
  deps.log.info("token revoked", { partner_id: partnerId, token_type: found.kind });
}
