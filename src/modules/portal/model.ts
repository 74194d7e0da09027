/** The developer portal's rules (docs/portal.md): roles, session lifetimes, the second factor. */
export const ROLES = ["owner", "developer", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner: everything, and the team",
  developer: "Developer: keys, webhooks, the sandbox",
  viewer: "Read-only (finance): sees everything, changes nothing",
};

/** What each role may do in the portal; the API's scopes enforce the same (viewer: `…:read` only). */
export const may = {
  write: (role: Role) => role !== "viewer",
  manageTeam: (role: Role) => role === "owner",
};

/** The cookie: `__Host-` (Secure, Path=/, no Domain), HttpOnly, SameSite=Strict. */
export const SESSION_COOKIE = "portico_portal";

/** A session ends after 30 minutes without a request, and 12 hours after sign-in whatever happens. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
/** The password step's session: the second factor is due within 10 minutes. */
export const SECOND_FACTOR_MS = 10 * 60_000;

/** Invitations are good for 7 days, once. */
export const INVITATION_MS = 7 * 24 * 3600_000;

/** RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30 s; one step either side accepted. */
export const TOTP = { algorithm: "SHA1", digits: 6, period: 30, window: 1, issuer: "Portico" } as const;

export const PASSWORD_MIN_LENGTH = 12;
