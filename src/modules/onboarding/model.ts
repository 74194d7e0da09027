/** The onboarding vocabulary (docs/onboarding.md). */

/** Paths that exist only in production, the control plane's Worker: 404 (code 31) in the sandbox. */
export const isProductionOnlyPath = (path: string) =>
  path.startsWith("/onboarding/") ||
  path === "/v1/terms" ||
  path.startsWith("/v1/terms/") ||
  path === "/admin/v1/applications" ||
  path.startsWith("/admin/v1/applications/");

/** The terms calls a partner can still make once its acceptance is overdue (code 24 elsewhere). */
export const isTermsPath = (path: string) => path === "/v1/terms" || path.startsWith("/v1/terms/");

/** How long an email verification link lives. */
export const VERIFICATION_LINK_TTL_MS = 24 * 3600 * 1000;

/** The outbox event (src/platform/events/outbox.ts) that sends a registration's verification email. */
export const VERIFICATION_EMAIL_EVENT = "onboarding.verification_email";
/** Its ids carry this prefix, so the events consumer routes it without reading the row first. */
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

/** The RPC surface of the sandbox Worker's `SandboxProvisioning` entrypoint. */
export interface SandboxProvisioner {
  createPartner(input: SandboxPartnerRequest): Promise<SandboxPartnerCredentials>;
}
