import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";

/** The issuer of a team's Access tokens, and where the team publishes its signing keys. */
export const accessIssuer = (teamDomain: string) => `https://${teamDomain}`;
export const accessCertsUrl = (teamDomain: string) => `https://${teamDomain}/cdn-cgi/access/certs`;

// One key set per team (jose caches the fetched keys and refetches on an unknown kid, with a
// cool-down), or per local JWKS: built once per isolate, not per request.
const keySets = new Map<string, JWTVerifyGetKey>();

function keysFor(config: Config, teamDomain: string): JWTVerifyGetKey {
  const local = config.ACCESS_JWKS;
  const id = local ? `local:${JSON.stringify(local)}` : `team:${teamDomain}`;
  let keys = keySets.get(id);
  if (!keys) {
    keys = local
      ? createLocalJWKSet(local as Parameters<typeof createLocalJWKSet>[0])
      : createRemoteJWKSet(new URL(accessCertsUrl(teamDomain)), { timeoutDuration: 3000 });
    if (keySets.size >= 16) keySets.clear();
    keySets.set(id, keys);
  }
  return keys;
}

export interface AccessIdentity {
  /** The email Access authenticated, lower-cased: the identity roles are held for. */
  email: string;
  sub: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Verifies a `Cf-Access-Jwt-Assertion` JWT: RS256 as Access signs, the team's keys, the team's
 * issuer, the application's AUD tag, expiry. The same code verifies the local issuer's tokens
 * (`ACCESS_JWKS`, never in production). Never reads any other header: a bare email header
 * proves nothing.
 */
export async function verifyAccessToken(config: Config, token: string): Promise<AccessIdentity> {
  const team = config.ACCESS_TEAM_DOMAIN;
  const aud = config.ACCESS_AUD;
  if (!team || !aud) throw new ApiError("service_unavailable");
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keysFor(config, team), {
      algorithms: ["RS256"],
      issuer: accessIssuer(team),
      audience: aud,
      requiredClaims: ["exp", "iat", "sub"],
      clockTolerance: 5,
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new ApiError("admin_token_expired");
    if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError))
      throw new ApiError("upstream_unavailable", { system: "Cloudflare Access" }, { retryable: true });
    throw new ApiError("admin_token_invalid");
  }
  const { email, sub } = payload;
  if (typeof email !== "string" || !EMAIL.test(email) || typeof sub !== "string" || sub === "")
    throw new ApiError("admin_token_invalid");
  return { email: email.toLowerCase(), sub };
}
