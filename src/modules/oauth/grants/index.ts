import type { GrantHandler } from "../types";
import { clientCredentialsGrant, passwordGrant } from "./partner";

/** The token endpoint's grant types, each in its own file. */
export const GRANTS: Readonly<Record<string, GrantHandler>> = {
  password: passwordGrant,
  client_credentials: clientCredentialsGrant,
};

export const GRANT_TYPES = Object.keys(GRANTS);
