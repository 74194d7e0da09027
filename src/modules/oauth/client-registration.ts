import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { TtlCache } from "../../platform/lib/ttl-cache";
import { findPartnerWithContract } from "../partners/storage";
import { urlPolicy } from "../webhooks/delivery";
import { checkWebhookUrl } from "../webhooks/url";
import { forgetJwksUri } from "./client-auth/jwks-uri";
import { checkPublicKeys } from "./client-keys";
import { type ClientRegistration, findClientRegistration, saveClientRegistration } from "./storage";

/** What `PUT …/oauth-client` takes: the registration whole (a member left out is removed). */
export interface ClientRegistrationInput {
  jwks?: unknown;
  jwks_uri?: string | undefined;
  tls_client_auth_subject_dn?: string | undefined;
  tls_client_certificate_sha256?: string | undefined;
  redirect_uris: string[];
}

export interface RegistrationDeps {
  db: Db;
  config: Config;
}

export const MAX_REDIRECT_URIS = 10;
const MAX_URI_LENGTH = 2048;

/**
 * One isolate's cache of registrations, for client authentication: read from D1 once per profile
 * TTL; a registration written in this isolate bites here at once. An unregistered partner is not kept.
 */
export const registrationCache = new TtlCache<ClientRegistration>({ cacheMisses: false });

export function cachedRegistration(deps: RegistrationDeps, partnerId: string) {
  return registrationCache.get(partnerId, deps.config.PROFILE_CACHE_TTL_SECONDS * 1000, (id) =>
    findClientRegistration(deps.db, id),
  );
}

/** The registration lets a client authenticate without a secret: keys for private_key_jwt, or a certificate. */
export const hasClientKeys = (r: ClientRegistration | undefined): boolean =>
  r !== undefined &&
  (r.jwks !== null ||
    r.jwksUri !== null ||
    r.tlsClientAuthSubjectDn !== null ||
    r.tlsClientCertificateSha256 !== null);

const invalid = (detail: string) => new ApiError("oauth_client_invalid", { detail });

/** Loopback redirect URIs, for a developer's machine: the sandbox only. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function checkRedirectUris(config: Config, uris: string[]): string[] {
  if (uris.length > MAX_REDIRECT_URIS) throw invalid(`at most ${MAX_REDIRECT_URIS} redirect_uris`);
  for (const [i, uri] of uris.entries()) {
    const at = `redirect_uris[${i}]`;
    if (uri.length > MAX_URI_LENGTH) throw invalid(`${at} is longer than ${MAX_URI_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw invalid(`${at} is not an absolute URL`);
    }
    if (uri.includes("#")) throw invalid(`${at} must not have a fragment`);
    if (url.username !== "" || url.password !== "")
      throw invalid(`${at} must not hold a user name or password`);
    if (uri.includes("*")) throw invalid(`${at} must be exact: no wildcard`);
    const loopback =
      config.ENVIRONMENT === "sandbox" && url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
    if (url.protocol !== "https:" && !loopback)
      throw invalid(
        config.ENVIRONMENT === "sandbox"
          ? `${at} must use https (or http on localhost in the sandbox)`
          : `${at} must use https`,
      );
  }
  return [...new Set(uris)];
}

/** A certificate fingerprint as the edge gives it: 64 lower-case hex digits (colons between bytes accepted). */
function fingerprintOf(value: string): string {
  const hex = value.replace(/:/g, "").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw invalid("tls_client_certificate_sha256 must be the hex SHA-256 of the certificate (64 digits)");
  return hex;
}

/**
 * Checks and stores the partner's registration whole. A FAPI partner's registration must keep keys
 * or a certificate (its clients have no other way to authenticate). Clears this isolate's caches.
 */
export async function registerClient(
  deps: RegistrationDeps,
  partnerId: string,
  input: ClientRegistrationInput,
  now = new Date().toISOString(),
): Promise<{ before: ClientRegistration | undefined; after: ClientRegistration }> {
  if (input.jwks !== undefined && input.jwks_uri !== undefined)
    throw invalid("give jwks or jwks_uri, not both");
  let jwks: ClientRegistration["jwks"] = null;
  if (input.jwks !== undefined) {
    const checked = await checkPublicKeys(input.jwks);
    if (!checked.ok) throw invalid(checked.detail);
    jwks = checked.jwks as ClientRegistration["jwks"];
  }
  let jwksUri: string | null = null;
  if (input.jwks_uri !== undefined) {
    const verdict = checkWebhookUrl(input.jwks_uri, urlPolicy(deps.config, []));
    if (!verdict.ok) throw invalid(`jwks_uri: ${verdict.reason}`);
    jwksUri = verdict.url.toString();
  }
  const subject = input.tls_client_auth_subject_dn;
  if (subject !== undefined && (subject.trim() === "" || subject.length > 1024))
    throw invalid("tls_client_auth_subject_dn must be 1–1024 characters");
  const row = {
    partnerId,
    jwks,
    jwksUri,
    tlsClientAuthSubjectDn: subject ?? null,
    tlsClientCertificateSha256:
      input.tls_client_certificate_sha256 !== undefined
        ? fingerprintOf(input.tls_client_certificate_sha256)
        : null,
    redirectUris: checkRedirectUris(deps.config, input.redirect_uris),
  };
  const found = await findPartnerWithContract(deps.db, partnerId);
  if (!found) throw new ApiError("not_found", { resource: `partner ${partnerId}` });
  if (found.contract.securityProfile === "fapi" && !hasClientKeys({ ...row, createdAt: now, updatedAt: now }))
    throw new ApiError("fapi_requires_client_keys", {
      detail: "the contract is FAPI, so the registration must keep jwks, jwks_uri or a certificate",
    });
  const before = await findClientRegistration(deps.db, partnerId);
  const after = await saveClientRegistration(deps.db, row, now);
  registrationCache.invalidate(partnerId);
  if (before?.jwksUri) forgetJwksUri(before.jwksUri);
  return { before, after };
}

/** The registration, or 250 when the partner has none. */
export async function requireRegistration(db: Db, partnerId: string): Promise<ClientRegistration> {
  const row = await findClientRegistration(db, partnerId);
  if (!row) throw new ApiError("oauth_client_not_registered");
  return row;
}

/** The methods a registration (under its contract's profile) lets the partner's clients authenticate with. */
export function authMethodsOf(r: ClientRegistration, securityProfile: "standard" | "fapi"): string[] {
  return [
    ...(securityProfile === "standard" ? ["client_secret_basic"] : []),
    ...(r.jwks !== null || r.jwksUri !== null ? ["private_key_jwt"] : []),
    ...(r.tlsClientAuthSubjectDn !== null || r.tlsClientCertificateSha256 !== null
      ? ["tls_client_auth"]
      : []),
  ];
}

/** The registration as both APIs show it. */
export const registrationView = (r: ClientRegistration, securityProfile: "standard" | "fapi") => ({
  object: "oauth_client" as const,
  partner_id: r.partnerId,
  security_profile: securityProfile,
  token_endpoint_auth_methods: authMethodsOf(r, securityProfile),
  jwks: r.jwks,
  jwks_uri: r.jwksUri,
  tls_client_auth_subject_dn: r.tlsClientAuthSubjectDn,
  tls_client_certificate_sha256: r.tlsClientCertificateSha256,
  redirect_uris: r.redirectUris,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});
export type RegistrationView = ReturnType<typeof registrationView>;
