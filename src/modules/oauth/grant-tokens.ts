import { ApiError } from "../../platform/errors";
import { sha256Hex } from "../../platform/lib/ids";
import { randomToken } from "../../platform/lib/random";
import { getConsent } from "../accounts/consents";
import type { ConsentStatus } from "../accounts/model";
import { profileCache } from "../partners/profile";
import { issueAccessToken } from "./access-tokens";
import {
  type GrantAccessRow,
  type GrantBinding,
  type GrantRow,
  type RefreshRow,
  revokeGrant,
} from "./grant-storage";
import type { OAuthDeps, TokenBinding, TokenResponse } from "./types";

/** Whether a binding names a key or a certificate (else the token is a bearer token). */
export const isBound = (b: GrantBinding) => b.jkt !== undefined || b["x5t#S256"] !== undefined;

/** The binding presented now is the grant's: the same DPoP key and the same certificate (or none of either). */
export const sameBinding = (a: GrantBinding, b: GrantBinding) =>
  a.jkt === b.jkt && a["x5t#S256"] === b["x5t#S256"];

/** Only the members a binding has, so `{}` is stored for a bearer grant. */
export const bindingOnly = (b: TokenBinding): GrantBinding => ({
  ...(b.jkt !== undefined ? { jkt: b.jkt } : {}),
  ...(b["x5t#S256"] !== undefined ? { "x5t#S256": b["x5t#S256"] } : {}),
});

/** The consent's status and expiry as they stand now (one past its expiry becomes Expired here). */
export async function consentState(
  deps: OAuthDeps,
  partnerId: string,
  consentId: string,
): Promise<{ status: ConsentStatus; expiresAt: string } | undefined> {
  try {
    const consent = await getConsent(
      { db: deps.db, queue: deps.env.EVENTS_QUEUE, config: deps.config, log: deps.log },
      partnerId,
      consentId,
    );
    return { status: consent.status, expiresAt: consent.expires_at };
  } catch (err) {
    // Unknown (or not the partner's): the grant has nothing to read with.
    if (err instanceof ApiError) return undefined;
    throw err;
  }
}

/** A grant's next pair: an access token for its consent, bound as the grant, and a refresh token. */
export async function issueGrantTokens(
  deps: OAuthDeps,
  grant: Pick<GrantRow, "id" | "partnerId" | "clientId" | "consentId" | "cnf" | "expiresAt">,
  scope: string,
  now: Date,
): Promise<{ response: TokenResponse; refresh: RefreshRow; access: GrantAccessRow }> {
  const { token, expiresIn, jti } = await issueAccessToken(deps.config, {
    sub: grant.partnerId,
    scope,
    client_id: grant.clientId,
    consent_id: grant.consentId,
    grant_id: grant.id,
    ...(isBound(grant.cnf) ? { cnf: grant.cnf } : {}),
  });
  const refreshToken = randomToken(32);
  // issueAccessToken reads its own clock: a second's margin so the row never expires before the token.
  const accessExpiry = new Date((Math.floor(Date.now() / 1000) + expiresIn + 1) * 1000).toISOString();
  return {
    response: {
      access_token: token,
      scope,
      token_type: grant.cnf.jkt !== undefined ? "DPoP" : "Bearer",
      expires_in: expiresIn,
      refresh_token: refreshToken,
    },
    refresh: {
      tokenHash: await sha256Hex(refreshToken),
      grantId: grant.id,
      partnerId: grant.partnerId,
      status: "active",
      replacedBy: null,
      expiresAt: grant.expiresAt,
      createdAt: now.toISOString(),
      usedAt: null,
    },
    access: { jti, grantId: grant.id, partnerId: grant.partnerId, expiresAt: accessExpiry },
  };
}

/**
 * Revokes a grant whole (its refresh tokens, and its access tokens until their expiry). The
 * partner's profile, which lists revoked access tokens, is reloaded at its next call in this
 * isolate; elsewhere within the profile cache's TTL (the consent gate reads the grant at once).
 */
export async function endGrant(
  deps: OAuthDeps,
  grant: Pick<GrantRow, "id" | "partnerId">,
  reason: string,
  at: string,
) {
  await revokeGrant(deps.db, grant.id, reason, at);
  profileCache.invalidate(grant.partnerId);
}
