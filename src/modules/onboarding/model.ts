/** The onboarding vocabulary (docs/onboarding.md). */

/**
 * Paths that exist only in production, the control plane's Worker: 404 (code 31) in the sandbox.
 * The terms bind production partners only, so the admin API's terms calls are production's too.
 */
export const isProductionOnlyPath = (path: string) =>
  path.startsWith("/onboarding/") ||
  path === "/v1/terms" ||
  path.startsWith("/v1/terms/") ||
  path === "/admin/v1/applications" ||
  path.startsWith("/admin/v1/applications/") ||
  path === "/admin/v1/terms" ||
  path.startsWith("/admin/v1/terms/");

/** The terms calls a partner can still make once its acceptance is overdue (code 24 elsewhere). */
export const isTermsPath = (path: string) => path === "/v1/terms" || path.startsWith("/v1/terms/");

/** How long an email verification link lives. */
export const VERIFICATION_LINK_TTL_MS = 24 * 3600 * 1000;

/** The outbox event (src/platform/events/outbox.ts) that sends a registration's verification email. */
export const VERIFICATION_EMAIL_EVENT = "onboarding.verification_email";
/** The outbox event that reminds a registration to accept a version of the terms (terms-reminders.ts). */
export const TERMS_REMINDER_EVENT = "onboarding.terms_reminder";
/** Their ids carry this prefix, so the events consumer routes it without reading the row first. */
export const NOTIFICATION_EVENT_PREFIX = "ntf_";
export const isNotificationEvent = (eventId: string) => eventId.startsWith(NOTIFICATION_EVENT_PREFIX);

/** What the sandbox Worker's provisioning entrypoint is asked to create. */
export interface SandboxPartnerRequest {
  /** Chosen by production, recorded in the registration before the call. */
  partnerId: string;
  registrationId: string;
  companyName: string;
  /** The partner user's username: the contact email. */
  email: string;
  /** Hashed by the sandbox (PBKDF2) before it is stored; never stored in clear anywhere. */
  password: string;
}

/** What it answers, once: production relays it to the registrant and stores only `partnerId`. */
export interface SandboxPartnerCredentials {
  partnerId: string;
  consumerKey: string;
  consumerSecret: string;
  username: string;
  products: string[];
}

/** Which sandbox partner to remove: the one made for this registration, named by both ids. */
export interface SandboxPartnerRemoval {
  partnerId: string;
  registrationId: string;
}

/**
 * What a removal answers: `removed`, or why nothing was removed: no such partner (`absent`: the
 * sandbox call never got that far), a partner not made for this registration (`not_this_registration`),
 * or one that has been used since (`in_use`: it has calls, events or credentials of its own).
 */
export type SandboxRemovalOutcome = "removed" | "absent" | "not_this_registration" | "in_use";

/** The RPC surface of the sandbox Worker's `SandboxProvisioning` entrypoint. */
export interface SandboxProvisioner {
  createPartner(input: SandboxPartnerRequest): Promise<SandboxPartnerCredentials>;
  removePartner(input: SandboxPartnerRemoval): Promise<SandboxRemovalOutcome>;
}
