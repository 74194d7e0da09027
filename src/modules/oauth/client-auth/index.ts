import { ERRORS } from "../../../platform/errors";
import { OAuthError } from "../../../platform/oauth-error";
import type { PartnerProfile } from "../../../platform/types";
import { KEY_PREFIX } from "../../partners/consumer-keys";
import { checkAddress } from "../../partners/ip-allowlist";
import { loadProfile, profileCache } from "../../partners/profile";
import { liveCredential } from "../../partners/storage";
import type { AuthenticatedClient, ClientAuthMethod, ClientRequest, OAuthDeps } from "../types";
import { authenticateSecret, parseBasic } from "./secret-basic";

/**
 * Client authentication at every authorization-server endpoint (token, PAR, revocation,
 * introspection): the method the request uses, the credential's status and environment, the
 * contract's IP allow-list and the partner's status. `identified` hears the partner's profile
 * once the client authenticated (the answer is then that partner's, for CORS).
 */
export async function authenticateClient(
  deps: OAuthDeps,
  request: ClientRequest,
  params: Record<string, string | undefined>,
  identified: (profile: PartnerProfile) => void = () => {},
): Promise<AuthenticatedClient> {
  const { db, config } = deps;
  void params;
  const method: ClientAuthMethod = "client_secret_basic";
  const candidates = parseBasic(request.authorization);

  const otherEnv = config.ENVIRONMENT === "production" ? "sandbox" : "production";
  if (candidates.some((c) => c.key.startsWith(KEY_PREFIX[otherEnv]))) {
    throw new OAuthError(
      "invalid_client",
      `This is a ${otherEnv} credential; the ${config.ENVIRONMENT} environment does not accept it`,
    );
  }

  const client = await authenticateSecret(db, candidates, config.PROFILE_CACHE_TTL_SECONDS * 1000);
  if (
    client?.found.credential.status !== "active" ||
    !liveCredential(client.found.credential) ||
    client.found.partner.environment !== config.ENVIRONMENT
  ) {
    throw new OAuthError("invalid_client", "Client authentication failed");
  }
  const { found } = client;

  // Status and the key were just read fresh; the contract (scopes, allow-list) may come from the profile cache.
  const profile = await profileCache.get(found.partner.id, config.PROFILE_CACHE_TTL_SECONDS * 1000, (id) =>
    loadProfile(db, id),
  );
  if (!profile) throw new OAuthError("unauthorized_client", "The partner has no contract");
  identified(profile);
  // Only an authenticated client learns of its allow-list, and before any password is tried or counted.
  const address = checkAddress(profile.ipAllowlist, request.address);
  if (!address.allowed) {
    deps.log.warn("address not in the IP allow-list", { partner_id: profile.id, network: address.network });
    const { code, message } = ERRORS.ip_not_allowed;
    throw new OAuthError("unauthorized_client", message, 403, code);
  }
  if (found.partner.status !== "active")
    throw new OAuthError("unauthorized_client", "The partner account is suspended");
  return { clientId: client.key, method, profile, credentialId: found.credential.id };
}
