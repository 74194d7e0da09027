import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ERRORS } from "../../platform/errors";
import type { Logger } from "../../platform/lib/logger";
import { verifySecret } from "../../platform/lib/secret-hash";
import { OAuthError } from "../../platform/oauth-error";
import type { PartnerProfile } from "../../platform/types";
import { KEY_PREFIX } from "./consumer-keys";
import { checkAddress } from "./ip-allowlist";
import { guardedPasswordCheck } from "./lockout";
import { credentialCache, loadProfile, profileCache } from "./profile";
import { findCredential, findUser, liveCredential, touchCredential } from "./storage";
import { issueAccessToken } from "./tokens";

export interface TokenResponse {
  access_token: string;
  scope: string;
  token_type: "Bearer";
  expires_in: number;
}

interface ClientCredentials {
  key: string;
  secret: string;
}

const AUTH_REQUIRED =
  "Client authentication required: Authorization: Basic base64(consumer_key:consumer_secret)";

/** application/x-www-form-urlencoded decoding of one value; undefined for a malformed escape. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/**
 * The credentials a Basic header may carry, in the order to try them. RFC 6749 §2.3.1 has the
 * client form-encode id and secret before Base64 (standard clients do: `ck_` arrives as
 * `ck%5F`), so the decoded pair comes first; many partners send them raw, and a raw secret may
 * hold `%` or `+`, so the raw pair follows when it differs (or is the only one, when decoding fails).
 */
function parseBasic(header: string | undefined): ClientCredentials[] {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  let decoded = "";
  try {
    // RFC 7617 §2.1: the user-pass is UTF-8, so the bytes are decoded, not read as Latin-1.
    decoded = match?.[1]
      ? new TextDecoder().decode(Uint8Array.from(atob(match[1]), (ch) => ch.charCodeAt(0)))
      : "";
  } catch {
    decoded = "";
  }
  // Form-encoding turns a `:` into %3A, so the first colon separates id and secret either way.
  const colon = decoded.indexOf(":");
  if (colon <= 0) throw new OAuthError("invalid_client", AUTH_REQUIRED);
  const raw = { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  const key = formDecode(raw.key);
  const secret = formDecode(raw.secret);
  if (key === undefined || secret === undefined) return [raw];
  if (key === raw.key && secret === raw.secret) return [raw];
  return [{ key, secret }, raw];
}

/**
 * The first candidate whose key is known and whose secret verifies. Both come from the one header,
 * so a caller gets at most two guesses per request (and only by sending `%` or `+`); each
 * comparison stays constant-time, and an unknown key costs a decoy verification like a known one.
 */
async function authenticateClient(db: Db, candidates: ClientCredentials[], ttlMs: number) {
  for (const candidate of candidates) {
    const found = await credentialCache.get(candidate.key, ttlMs, (key) => findCredential(db, key));
    const secretOk = await verifySecret(candidate.secret, found?.credential.secretHash, "key");
    if (found && secretOk) return { key: candidate.key, found };
  }
  return undefined;
}

function grantedScopes(requested: string | undefined, allowed: readonly string[]): string[] {
  if (requested === undefined || requested.trim() === "") return [...allowed];
  const wanted = [...new Set(requested.trim().split(/\s+/))];
  const unknown = wanted.filter((s) => !allowed.includes(s));
  if (unknown.length > 0)
    throw new OAuthError("invalid_scope", `Scope not granted by the contract: ${unknown.join(" ")}`);
  return wanted;
}

/**
 * `POST /oauth2/token`: client authentication, the contract's IP allow-list, then the password or
 * client_credentials grant. `identified` hears the partner's profile once the client authenticated
 * (the answer is then that partner's, for CORS), whether or not a token follows.
 */
export async function exchangeToken(
  deps: { db: Db; config: Config; log: Logger; defer?: (work: Promise<unknown>) => void },
  request: { authorization: string | undefined; address: string | undefined },
  params: Record<string, string | undefined>,
  identified: (profile: PartnerProfile) => void = () => {},
): Promise<TokenResponse> {
  const { db, config } = deps;
  const candidates = parseBasic(request.authorization);

  const otherEnv = config.ENVIRONMENT === "production" ? "sandbox" : "production";
  if (candidates.some((c) => c.key.startsWith(KEY_PREFIX[otherEnv]))) {
    throw new OAuthError(
      "invalid_client",
      `This is a ${otherEnv} credential; the ${config.ENVIRONMENT} environment does not accept it`,
    );
  }

  const client = await authenticateClient(db, candidates, config.PROFILE_CACHE_TTL_SECONDS * 1000);
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

  const grant = params.grant_type;
  if (!grant) throw new OAuthError("invalid_request", "grant_type is required");
  if (grant === "password") {
    if (!params.username || !params.password) {
      throw new OAuthError("invalid_request", "username and password are required for the password grant");
    }
    const { username, password } = params;
    const user = await findUser(db, found.partner.id, username);
    const passwordOk = await guardedPasswordCheck(db, found.partner.id, username, () =>
      verifySecret(password, user?.passwordHash, "password"),
    );
    if (!user || !passwordOk || user.status !== "active") {
      throw new OAuthError("invalid_grant", "The user credentials are invalid");
    }
  } else if (grant !== "client_credentials") {
    throw new OAuthError("unsupported_grant_type", "Supported grant types: password, client_credentials");
  }

  const scope = grantedScopes(params.scope, profile.scopes).join(" ");
  const { token, expiresIn } = await issueAccessToken(config, {
    sub: found.partner.id,
    scope,
    client_id: client.key,
  });
  deps.defer?.(touchCredential(db, found.credential.id, new Date().toISOString()));
  return { access_token: token, scope, token_type: "Bearer", expires_in: expiresIn };
}
