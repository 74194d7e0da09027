import type { EventType } from "../../platform/events/events";

/** What a consent may let a partner read (docs/products.md, Accounts). */
export const CONSENT_SCOPES = ["accounts", "balances", "transactions"] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

/** Whether a scope word is one of the consent scopes (an OAuth scope may list them beside API scopes). */
export const isConsentScope = (scope: string): scope is ConsentScope =>
  (CONSENT_SCOPES as readonly string[]).includes(scope);

export const CONSENT_STATUSES = [
  "AwaitingAuthorisation",
  "Authorised",
  "Rejected",
  "Revoked",
  "Expired",
] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const CONSENT_OPERATIONS = ["authorise", "reject", "revoke", "expire"] as const;
export type ConsentOperation = (typeof CONSENT_OPERATIONS)[number];

/** The longest a consent may live, from its creation. */
export const MAX_CONSENT_DAYS = 90;

/**
 * `AwaitingAuthorisation → Authorised → Revoked | Expired`; the customer may also refuse
 * (`AwaitingAuthorisation → Rejected`), and an unauthorised consent may be revoked or expire.
 * Rejected, Revoked and Expired are final. Everything else is an illegal transition.
 *  - authorise / reject: the customer's answer at the bank (the sandbox's simulate calls)
 *  - revoke: the partner withdraws the consent
 *  - expire: `expires_at` has passed
 */
export const CONSENT_TRANSITIONS: Record<
  ConsentOperation,
  { from: readonly ConsentStatus[]; to: ConsentStatus }
> = {
  authorise: { from: ["AwaitingAuthorisation"], to: "Authorised" },
  reject: { from: ["AwaitingAuthorisation"], to: "Rejected" },
  revoke: { from: ["AwaitingAuthorisation", "Authorised"], to: "Revoked" },
  expire: { from: ["AwaitingAuthorisation", "Authorised"], to: "Expired" },
};

/** The status an operation leads to from `status`, or undefined when it is illegal. */
export function nextConsentStatus(status: ConsentStatus, operation: ConsentOperation) {
  const rule = CONSENT_TRANSITIONS[operation];
  return rule.from.includes(status) ? rule.to : undefined;
}

/** Whether a consent in `status` has outlived `expiresAt` at `now` and must become Expired. */
export const isConsentDue = (status: ConsentStatus, expiresAt: string, now: Date) =>
  nextConsentStatus(status, "expire") !== undefined && now.getTime() >= Date.parse(expiresAt);

/** The event a transition into `status` publishes; a rejection publishes none. */
export const CONSENT_EVENTS: Partial<Record<ConsentStatus, EventType>> = {
  Authorised: "consent.authorised",
  Rejected: "consent.rejected",
  Revoked: "consent.revoked",
  Expired: "consent.expired",
};

export type ConsentUse =
  | { ok: true }
  | { ok: false; error: "consent_not_usable"; status: ConsentStatus }
  | { ok: false; error: "consent_scope_missing"; scope: ConsentScope };

/** Whether a consent, as it stands now, lets its partner read `scope`. */
export function consentUse(
  consent: { status: ConsentStatus; scopes: readonly ConsentScope[] },
  scope: ConsentScope,
): ConsentUse {
  if (consent.status !== "Authorised")
    return { ok: false, error: "consent_not_usable", status: consent.status };
  if (!consent.scopes.includes(scope)) return { ok: false, error: "consent_scope_missing", scope };
  return { ok: true };
}

/** The consent resource. */
export interface Consent {
  id: string;
  object: "consent";
  status: ConsentStatus;
  scopes: ConsentScope[];
  expires_at: string;
  /** Where the customer authorises the consent; only while it awaits authorisation. */
  authorisation_url: string | null;
  status_updated_at: string;
  authorised_at: string | null;
  created_at: string;
  livemode: boolean;
}

/** The API scope every account-information call needs (the accounts product's read scope). */
export const ACCOUNTS_READ_SCOPE = "accounts:read";

/**
 * The scope of a token the consent flow issues: the accounts read scope, narrowed to the consent
 * scopes the authorization request asked for (`accounts balances` reads no transactions).
 */
export function consentTokenScope(requested: string): string {
  const asked = requested.split(/\s+/).filter(isConsentScope);
  return [ACCOUNTS_READ_SCOPE, ...new Set(asked)].join(" ");
}

/** Whether a consent-bound token's scope lets it read `scope`: any consent scope it lists narrows it. */
export function tokenCoversConsentScope(tokenScopes: readonly string[], scope: ConsentScope): boolean {
  const narrowed = tokenScopes.filter(isConsentScope);
  return narrowed.length === 0 || narrowed.includes(scope);
}
