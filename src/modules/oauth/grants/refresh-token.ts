import { sha256Hex } from "../../../platform/lib/ids";
import { OAuthError } from "../../../platform/oauth-error";
import { isConsentScope } from "../../accounts/model";
import { findGrant, findRefreshToken, rotateRefreshToken } from "../grant-storage";
import { bindingOnly, consentState, endGrant, issueGrantTokens, sameBinding } from "../grant-tokens";
import type { GrantHandler } from "../types";
import { grantedScopes } from "./scopes";

const INVALID_REFRESH = "The refresh token is invalid, expired or revoked";

/**
 * `refresh_token` (RFC 6749 §6): a refresh token of the consent flow, used once. It rotates: the
 * token becomes `rotated` and a new one is issued with the access token, in one compare-and-set, so
 * of two racing uses one wins. A rotated token presented again (a replay, or the loser of a race)
 * revokes the grant whole (OAuth 2.0 Security BCP §4.14). The refresh token is the client's and its
 * key's or certificate's: the binding presented now must be the grant's. A consent no longer
 * Authorised ends the grant.
 */
export const refreshTokenGrant: GrantHandler = async (deps, client, params, binding) => {
  const value = params.refresh_token;
  if (!value) throw new OAuthError("invalid_request", "refresh_token is required");
  const now = new Date();
  const at = now.toISOString();
  const hash = await sha256Hex(value);
  const row = await findRefreshToken(deps.db, hash);
  const grant = row && (await findGrant(deps.db, row.grantId));
  // Another client's token is refused as an unknown one, and changes nothing.
  if (!row || !grant || grant.partnerId !== client.profile.id || grant.clientId !== client.clientId) {
    throw new OAuthError("invalid_grant", INVALID_REFRESH);
  }
  if (grant.revokedAt || row.status === "revoked") throw new OAuthError("invalid_grant", INVALID_REFRESH);
  const reuse = async () => {
    await endGrant(deps, grant, "refresh_token_reused", at);
    deps.log.warn("refresh token reused: grant revoked", { partner_id: grant.partnerId, grant_id: grant.id });
    return new OAuthError("invalid_grant", INVALID_REFRESH);
  };
  if (row.status === "rotated") throw await reuse();
  if (row.expiresAt <= at) throw new OAuthError("invalid_grant", INVALID_REFRESH);
  if (!sameBinding(grant.cnf, bindingOnly(binding))) {
    throw new OAuthError("invalid_grant", "The refresh token is bound to another key or certificate");
  }
  const granted = grant.scope.split(" ").filter(Boolean);
  const asked = grantedScopes(params.scope, granted);
  // A grant narrowed to some consent scopes stays narrowed: dropping them all would widen it.
  const narrowing = granted.filter(isConsentScope);
  if (narrowing.length > 0 && !asked.some(isConsentScope))
    throw new OAuthError(
      "invalid_scope",
      `Ask for at least one of the grant's scopes: ${narrowing.join(" ")}`,
    );
  const scope = asked.join(" ");
  const consent = await consentState(deps, grant.partnerId, grant.consentId);
  if (consent?.status !== "Authorised") {
    await endGrant(deps, grant, `consent_${(consent?.status ?? "unknown").toLowerCase()}`, at);
    throw new OAuthError(
      "invalid_grant",
      `The consent is ${consent?.status ?? "unknown"}; it cannot be used`,
    );
  }

  const { response, refresh, access } = await issueGrantTokens(deps, grant, scope, now);
  if (await rotateRefreshToken(deps.db, hash, refresh, access, at)) return response;
  // Lost the compare-and-set: another use rotated it first (reuse), or it was revoked or expired meanwhile.
  const after = await findRefreshToken(deps.db, hash);
  if (after?.status === "rotated") throw await reuse();
  throw new OAuthError("invalid_grant", INVALID_REFRESH);
};
