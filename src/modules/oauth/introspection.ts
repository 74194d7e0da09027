import { OAuthError } from "../../platform/oauth-error";
import type { PartnerProfile } from "../../platform/types";
import type { Confirmation } from "./access-tokens";
import { authenticateClient } from "./client-auth";
import { findGrant, isAccessTokenRevoked } from "./grant-storage";
import { consentState, isBound } from "./grant-tokens";
import { findPartnerToken } from "./token-lookup";
import type { ClientRequest, OAuthDeps } from "./types";

/** RFC 7662 §2.2: what an introspection answers; only `active` for a token not active. */
export type Introspection =
  | { active: false }
  | {
      active: true;
      scope: string;
      client_id: string;
      token_type: "Bearer" | "DPoP" | "refresh_token";
      exp: number;
      iat: number;
      sub: string;
      aud?: string | string[];
      iss: string;
      jti?: string;
      cnf?: Confirmation;
      consent_id?: string;
    };

const INACTIVE = { active: false } as const;
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Whether a consent-bound token's grant and consent still stand (both read fresh). */
async function grantStands(
  deps: OAuthDeps,
  partnerId: string,
  grantId: string | undefined,
  consentId: string,
) {
  const grant = grantId ? await findGrant(deps.db, grantId) : undefined;
  if (!grant || grant.revokedAt || grant.consentId !== consentId) return false;
  return (await consentState(deps, partnerId, consentId))?.status === "Authorised";
}

/**
 * `POST /oauth2/introspect` (RFC 7662): the state of one of the client's partner's tokens, read
 * fresh (no cache): active while unexpired and not revoked, and for a consent-bound token while
 * its grant stands and its consent is Authorised. Expired, revoked, malformed and another
 * partner's tokens are all `{ "active": false }`.
 */
export async function introspectToken(
  deps: OAuthDeps,
  request: ClientRequest,
  params: Record<string, string | undefined>,
  identified: (profile: PartnerProfile) => void = () => {},
): Promise<Introspection> {
  const client = await authenticateClient(deps, request, params, identified);
  if (!params.token) throw new OAuthError("invalid_request", "token is required");
  const partnerId = client.profile.id;
  const found = await findPartnerToken(deps, partnerId, params.token, params.token_type_hint);
  if (!found) return INACTIVE;

  if (found.kind === "access_token") {
    const { claims } = found;
    if (await isAccessTokenRevoked(deps.db, claims.jti)) return INACTIVE;
    if (claims.consent_id && !(await grantStands(deps, partnerId, claims.grant_id, claims.consent_id)))
      return INACTIVE;
    return {
      active: true,
      scope: claims.scope,
      client_id: claims.client_id,
      token_type: claims.cnf?.jkt !== undefined ? "DPoP" : "Bearer",
      exp: claims.exp,
      iat: claims.iat,
      sub: claims.sub,
      aud: claims.aud,
      iss: claims.iss,
      jti: claims.jti,
      ...(claims.cnf ? { cnf: claims.cnf } : {}),
      ...(claims.consent_id ? { consent_id: claims.consent_id } : {}),
    };
  }

  const { row, grant } = found;
  if (row.status !== "active" || row.expiresAt <= new Date().toISOString()) return INACTIVE;
  if (!(await grantStands(deps, partnerId, grant.id, grant.consentId))) return INACTIVE;
  return {
    active: true,
    scope: grant.scope,
    client_id: grant.clientId,
    token_type: "refresh_token",
    exp: seconds(row.expiresAt),
    iat: seconds(row.createdAt),
    sub: grant.partnerId,
    iss: deps.config.ISSUER,
    ...(isBound(grant.cnf) ? { cnf: grant.cnf } : {}),
    consent_id: grant.consentId,
  };
}
