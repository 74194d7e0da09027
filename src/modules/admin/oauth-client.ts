import { ApiError } from "../../platform/errors";
import {
  type ClientRegistrationInput,
  type RegistrationDeps,
  registerClient,
  registrationView,
  requireRegistration,
} from "../oauth/client-registration";
import { requirePartner } from "./partners";

/** A partner's registered OAuth client, as the platform team sees it (404, code 250, before any). */
export async function partnerRegistration(deps: RegistrationDeps, partnerId: string) {
  const { contract } = await requirePartner(deps.db, partnerId);
  return registrationView(await requireRegistration(deps.db, partnerId), contract.securityProfile);
}

/** The platform team registers a partner's client (keys, certificate, redirect URIs) on its behalf. */
export async function registerPartnerClient(
  deps: RegistrationDeps,
  partnerId: string,
  input: ClientRegistrationInput,
) {
  const { partner, contract } = await requirePartner(deps.db, partnerId);
  if (partner.status === "offboarded")
    throw new ApiError("invalid_state_transition", {
      operation: "register the OAuth client of",
      object: "partner",
      status: partner.status,
    });
  const { before, after } = await registerClient(deps, partnerId, input);
  return {
    before: before ? registrationView(before, contract.securityProfile) : null,
    after: registrationView(after, contract.securityProfile),
  };
}
