import type { GrantHandler } from "../types";
import { authorizationCodeGrant } from "./authorization-code";
import { clientCredentialsGrant, passwordGrant } from "./partner";
import { refreshTokenGrant } from "./refresh-token";

/** The token endpoint's grant types, each in its own file. */
export const GRANTS: Readonly<Record<string, GrantHandler>> = {
  password: passwordGrant,
  client_credentials: clientCredentialsGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
};

export const GRANT_TYPES = Object.keys(GRANTS);
