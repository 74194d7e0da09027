import { uuidv7 } from "../../../platform/lib/ids";
import { b64url, constantTimeTextEqual } from "../../../platform/lib/secret-hash";
import { OAuthError } from "../../../platform/oauth-error";
import { consentTokenScope } from "../../accounts/model";
import { redeemCode } from "../codes";
import { insertGrant, markCodeReplayed } from "../grant-storage";
import { bindingOnly, consentState, endGrant, issueGrantTokens } from "../grant-tokens";
import type { GrantHandler } from "../types";

/** RFC 7636 §4.1: 43–128 characters of the unreserved set. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

const INVALID_CODE = "The authorization code is invalid, expired or already used";

/** RFC 7636 §4.6, S256 only: BASE64URL(SHA256(ASCII(code_verifier))). */
async function s256(verifier: string): Promise<string> {
  return b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/**
 * `authorization_code` (RFC 6749 §4.1.3): the code the customer's authorisation of a consent
 * issued, redeemed once by the client it was issued to, with the same redirect URI and the PKCE
 * verifier of its challenge, from the DPoP key the pushed request named. A second use of a code
 * revokes what the first issued (§4.1.2). Answers an access token for the consent and a refresh token.
 */
export const authorizationCodeGrant: GrantHandler = async (deps, client, params, binding) => {
  const { code, redirect_uri: redirectUri, code_verifier: verifier } = params;
  if (!code) throw new OAuthError("invalid_request", "code is required");
  if (!redirectUri) throw new OAuthError("invalid_request", "redirect_uri is required");
  if (!verifier) throw new OAuthError("invalid_request", "code_verifier is required (PKCE, S256)");
  if (!VERIFIER.test(verifier)) {
    throw new OAuthError("invalid_request", "code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]");
  }

  const now = new Date();
  const redemption = await redeemCode(deps.db, code, now);
  if (!redemption.ok) {
    if (redemption.reason === "reused" && redemption.code) {
      const grantId = await markCodeReplayed(deps.db, redemption.code.codeHash);
      if (grantId) {
        await endGrant(
          deps,
          { id: grantId, partnerId: redemption.code.partnerId },
          "code_reused",
          now.toISOString(),
        );
      }
      deps.log.warn("authorization code reused", {
        partner_id: redemption.code.partnerId,
        consent_id: redemption.code.consentId,
        ...(grantId ? { grant_id: grantId } : {}),
      });
    }
    throw new OAuthError("invalid_grant", INVALID_CODE);
  }

  // The code is spent from here on: any refusal below leaves it unusable.
  const found = redemption.code;
  if (found.partnerId !== client.profile.id || found.clientId !== client.clientId) {
    throw new OAuthError("invalid_grant", INVALID_CODE);
  }
  if (!constantTimeTextEqual(redirectUri, found.redirectUri)) {
    throw new OAuthError("invalid_grant", "redirect_uri does not match the one of the authorization request");
  }
  if (!constantTimeTextEqual(await s256(verifier), found.codeChallenge)) {
    throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge (S256)");
  }
  if (found.dpopJkt !== null && binding.jkt !== found.dpopJkt) {
    throw new OAuthError(
      "invalid_grant",
      "The DPoP key is not the one the authorization request was bound to",
    );
  }
  const consent = await consentState(deps, found.partnerId, found.consentId);
  if (consent?.status !== "Authorised") {
    throw new OAuthError(
      "invalid_grant",
      `The consent is ${consent?.status ?? "unknown"}; it cannot be used`,
    );
  }

  const grant = {
    id: uuidv7(now.getTime()),
    partnerId: found.partnerId,
    clientId: client.clientId,
    consentId: found.consentId,
    codeHash: found.codeHash,
    scope: consentTokenScope(found.scope),
    cnf: bindingOnly(binding),
    // No refresh token outlives the consent.
    expiresAt: consent.expiresAt,
    createdAt: now.toISOString(),
    revokedAt: null,
    revokedReason: null,
  };
  const { response, refresh, access } = await issueGrantTokens(deps, grant, grant.scope, now);
  // A replay of the code between its redemption and here marked it: then nothing is written.
  if (!(await insertGrant(deps.db, grant, refresh, access)))
    throw new OAuthError("invalid_grant", INVALID_CODE);
  return response;
};
