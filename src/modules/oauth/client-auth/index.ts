import { ERRORS } from "../../../platform/errors";
import { OAuthError } from "../../../platform/oauth-error";
import type { PartnerProfile } from "../../../platform/types";
import { KEY_PREFIX } from "../../partners/consumer-keys";
import { checkAddress } from "../../partners/ip-allowlist";
import { credentialCache, loadProfile, profileCache } from "../../partners/profile";
import { findCredential, liveCredential } from "../../partners/storage";
import type { AuthenticatedClient, ClientAuthMethod, ClientRequest, OAuthDeps } from "../types";
import { assertedClient, verifyAssertion } from "./private-key-jwt";
import { authenticateSecret, parseBasic } from "./secret-basic";
import { verifyCertificate } from "./tls-client-auth";

/** What a FAPI partner's client hears when it sends its secret: whether the secret was right or not. */
export const FAPI_NO_SECRET =
  "The partner's FAPI profile does not accept a client secret: authenticate with private_key_jwt or tls_client_auth";

const FAILED = "Client authentication failed";

/**
 * The method a request uses (RFC 6749 §2.3: exactly one): a client assertion is private_key_jwt,
 * a Basic header client_secret_basic, a client certificate with `client_id` and nothing else
 * tls_client_auth. A certificate beside another method is not a second method: it may be the key
 * a token is bound to (RFC 8705 §3).
 */
export function methodOf(
  request: ClientRequest,
  params: Record<string, string | undefined>,
): ClientAuthMethod {
  const assertion = params.client_assertion !== undefined || params.client_assertion_type !== undefined;
  const basic = /^Basic\s/i.test(request.authorization ?? "");
  if (assertion && basic)
    throw new OAuthError("invalid_request", "Use one client authentication method per request, not two");
  if (params.client_secret !== undefined)
    throw new OAuthError("invalid_client", "client_secret_post is not supported: send the secret with Basic");
  if (assertion) return "private_key_jwt";
  if (
    !basic &&
    request.authorization === undefined &&
    request.tlsClientAuth &&
    params.client_id !== undefined
  )
    return "tls_client_auth";
  return "client_secret_basic";
}

/**
 * Client authentication at every authorization-server endpoint (token, PAR, revocation,
 * introspection): the method the request uses, the credential's status and environment, the
 * contract's profile (a FAPI partner never authenticates with its secret), its IP allow-list and
 * the partner's status. `identified` hears the partner's profile once the client authenticated
 * (the answer is then that partner's, for CORS).
 */
export async function authenticateClient(
  deps: OAuthDeps,
  request: ClientRequest,
  params: Record<string, string | undefined>,
  identified: (profile: PartnerProfile) => void = () => {},
): Promise<AuthenticatedClient> {
  const { db, config } = deps;
  const ttlMs = config.PROFILE_CACHE_TTL_SECONDS * 1000;
  const method = methodOf(request, params);
  const secretCandidates = method === "client_secret_basic" ? parseBasic(request.authorization) : [];
  const claimedKeys =
    method === "private_key_jwt"
      ? [assertedClient(params)]
      : method === "tls_client_auth"
        ? [params.client_id ?? ""]
        : secretCandidates.map((c) => c.key);

  const otherEnv = config.ENVIRONMENT === "production" ? "sandbox" : "production";
  if (claimedKeys.some((k) => k.startsWith(KEY_PREFIX[otherEnv]))) {
    throw new OAuthError(
      "invalid_client",
      `This is a ${otherEnv} credential; the ${config.ENVIRONMENT} environment does not accept it`,
    );
  }

  const profileOf = (partnerId: string) => profileCache.get(partnerId, ttlMs, (id) => loadProfile(db, id));
  let clientId: string;
  let found: NonNullable<Awaited<ReturnType<typeof findCredential>>> | undefined;
  if (method === "client_secret_basic") {
    const client = await authenticateSecret(db, secretCandidates, ttlMs);
    // The gate comes after the secret was verified (the same work either way) and answers the same
    // whether it was right: a FAPI partner's secret is never usable, nor testable, here.
    const claimed =
      client?.found ??
      (secretCandidates[0] &&
        (await credentialCache.get(secretCandidates[0].key, ttlMs, (key) => findCredential(db, key))));
    if (claimed && (await profileOf(claimed.partner.id))?.securityProfile === "fapi")
      throw new OAuthError("invalid_client", FAPI_NO_SECRET);
    clientId = client?.key ?? "";
    found = client?.found;
  } else {
    clientId = claimedKeys[0] ?? "";
    found = await credentialCache.get(clientId, ttlMs, (key) => findCredential(db, key));
  }
  if (
    found?.credential.status !== "active" ||
    !liveCredential(found.credential) ||
    found.partner.environment !== config.ENVIRONMENT
  ) {
    throw new OAuthError("invalid_client", FAILED);
  }
  if (method === "private_key_jwt") await verifyAssertion(deps, request, params, clientId, found.partner.id);
  if (method === "tls_client_auth") await verifyCertificate(deps, request, found.partner.id);

  // Status and the key were just read fresh; the contract (scopes, allow-list) may come from the profile cache.
  const profile = await profileOf(found.partner.id);
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
  return { clientId, method, profile, credentialId: found.credential.id };
}
