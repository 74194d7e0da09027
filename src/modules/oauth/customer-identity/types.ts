/** Who the bank's customer identity system says signed in: the bank's reference and the name to greet. */
export interface Customer {
  customerRef: string;
  displayName: string;
}

/** A password check: the customer, or a refusal that never says whether the login exists. */
export type Authentication = { ok: true; customer: Customer } | { ok: false; reason: "invalid_credentials" };

/** A second factor the customer must answer: its id at the identity system. */
export interface Challenge {
  challengeId: string;
}

/**
 * The bank's customer identity system, as the consent authorisation uses it: the customer's
 * password, then a second factor (strong customer authentication). One interface; the sandbox
 * simulates documented test customers, production calls the bank over HTTP.
 */
export interface CustomerIdentityConnector {
  authenticate(login: string, password: string): Promise<Authentication>;
  startChallenge(customerRef: string): Promise<Challenge>;
  /** Whether `code` answers the challenge; a wrong code is false, never an exception. */
  verifyChallenge(customerRef: string, challengeId: string, code: string): Promise<boolean>;
}
