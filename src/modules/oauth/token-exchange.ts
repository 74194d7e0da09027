import { OAuthError } from "../../platform/oauth-error";
import type { PartnerProfile } from "../../platform/types";
import { touchCredential } from "../partners/storage";
import { bindingOf, requireSenderConstraint } from "./binding";
import { authenticateClient } from "./client-auth";
import { GRANT_TYPES, GRANTS } from "./grants";
import type { ClientRequest, OAuthDeps, TokenResponse } from "./types";

/**
 * `POST /oauth2/token`: client authentication (the contract's methods, its IP allow-list), the
 * sender constraint the request proves (DPoP or the mTLS certificate), then the grant.
 * `identified` hears the partner's profile once the client authenticated.
 */
export async function exchangeToken(
  deps: OAuthDeps,
  request: ClientRequest,
  params: Record<string, string | undefined>,
  identified: (profile: PartnerProfile) => void = () => {},
): Promise<TokenResponse> {
  const client = await authenticateClient(deps, request, params, identified);
  const grant = params.grant_type;
  if (!grant) throw new OAuthError("invalid_request", "grant_type is required");
  const handler = Object.hasOwn(GRANTS, grant) ? GRANTS[grant] : undefined;
  if (!handler)
    throw new OAuthError("unsupported_grant_type", `Supported grant types: ${GRANT_TYPES.join(", ")}`);
  // The contract decides before anything else is looked at: a FAPI contract never has it.
  if (grant === "password" && !client.profile.passwordGrant) {
    throw new OAuthError("unauthorized_client", "The contract does not allow the password grant");
  }
  const binding = await bindingOf(deps, request, client.clientId);
  requireSenderConstraint(client.profile, binding);
  const answer = await handler(deps, client, params, binding);
  deps.defer?.(touchCredential(deps.db, client.credentialId, new Date().toISOString()));
  return answer;
}
