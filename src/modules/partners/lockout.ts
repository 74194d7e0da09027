import type { Db } from "../../platform/db/client";
import { OAuthError } from "../../platform/oauth-error";
import { clearPasswordFailures, lockPasswordGrant, takePasswordAttempt } from "./storage";

/** Failed password attempts allowed per partner and username within the window… */
export const PASSWORD_MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
/** …before the username is locked for this long, a correct password included; each further lock since the last success doubles it, up to a day. */
export const PASSWORD_LOCK_MS = 15 * 60_000;
export const PASSWORD_LOCK_MAX_MS = 24 * 3600_000;

/** The lock after `lockouts` earlier ones: 15 min, 30 min, 1 h, … 24 h. */
export const lockDurationMs = (lockouts: number) =>
  Math.min(PASSWORD_LOCK_MS * 2 ** Math.min(lockouts, 16), PASSWORD_LOCK_MAX_MS);

/** The token endpoint's refusal while locked; other callers pass their own. */
const oauthLocked = (seconds: number): Error =>
  new OAuthError("invalid_grant", `Too many failed attempts for this user; try again in ${seconds} seconds`);

/**
 * The password grant's guard against guessing (OWASP API2): each attempt is counted before the
 * password is checked, so concurrent guesses cannot outrun the count; the fifth failure within
 * 15 minutes locks the username for 15 minutes, whether or not it exists (a lock says nothing
 * about which usernames do); each further lock before a success lasts twice as long, up to a day.
 * While locked, no password is checked at all. A success clears it all.
 * Also the onboarding sign-in's guard (its partner key `registrations`, its username the email).
 */
export async function guardedPasswordCheck(
  db: Db,
  partnerId: string,
  username: string,
  check: () => Promise<boolean>,
  now = Date.now(),
  locked: (seconds: number) => Error = oauthLocked,
): Promise<boolean> {
  const lockedError = (until: string, at: number) =>
    locked(Math.max(1, Math.ceil((Date.parse(until) - at) / 1000)));
  const taken = await takePasswordAttempt(
    db,
    partnerId,
    username,
    new Date(now).toISOString(),
    new Date(now - WINDOW_MS).toISOString(),
  );
  if (taken.lockedUntil && Date.parse(taken.lockedUntil) > now) throw lockedError(taken.lockedUntil, now);
  const lockNow = async () => {
    const until = new Date(now + lockDurationMs(taken.lockouts)).toISOString();
    await lockPasswordGrant(db, partnerId, username, until, new Date(now).toISOString());
    return until;
  };
  // Attempts beyond the allowance (concurrent guesses) are refused unchecked.
  if (taken.attempts > PASSWORD_MAX_FAILURES) throw lockedError(await lockNow(), now);
  if (await check()) {
    await clearPasswordFailures(db, partnerId, username);
    return true;
  }
  if (taken.attempts >= PASSWORD_MAX_FAILURES) await lockNow();
  return false;
}
