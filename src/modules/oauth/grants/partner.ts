import { verifySecret } from "../../../platform/lib/secret-hash";
import { OAuthError } from "../../../platform/oauth-error";
import { guardedPasswordCheck } from "../../partners/lockout";
import { findUser } from "../../partners/storage";
import { issueAccessToken } from "../access-tokens";
import { isBound, tokenTypeOf } from "../binding";
import type { GrantHandler } from "../types";
import { grantedScopes } from "./scopes";

/** The token of a partner's own calls: the scopes its contract grants, bound where the client proved a key. */
const partnerToken: GrantHandler = async (deps, client, params, binding) => {
  const scope = grantedScopes(params.scope, client.profile.scopes).join(" ");
  const { token, expiresIn } = await issueAccessToken(deps.config, {
    sub: client.profile.id,
    scope,
    client_id: client.clientId,
    ...(isBound(binding) ? { cnf: binding } : {}),
  });
  return {
    access_token: token,
    scope,
    token_type: tokenTypeOf(binding),
    expires_in: expiresIn,
  };
};

/** `client_credentials`: the partner's servers, as themselves. */
export const clientCredentialsGrant: GrantHandler = partnerToken;

/**
 * `password`: the bank's contract's grant, with the partner user's login (lockout after repeated
 * failures). Only a contract that keeps it reaches here (token-exchange.ts): never a FAPI partner's.
 */
export const passwordGrant: GrantHandler = async (deps, client, params, binding) => {
  if (!params.username || !params.password) {
    throw new OAuthError("invalid_request", "username and password are required for the password grant");
  }
  const { username, password } = params;
  const partnerId = client.profile.id;
  const user = await findUser(deps.db, partnerId, username);
  const passwordOk = await guardedPasswordCheck(deps.db, partnerId, username, () =>
    verifySecret(password, user?.passwordHash, "password"),
  );
  if (!user || !passwordOk || user.status !== "active") {
    throw new OAuthError("invalid_grant", "The user credentials are invalid");
  }
  return partnerToken(deps, client, params, binding);
};
