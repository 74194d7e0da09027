import type { Db } from "../../platform/db/client";
import { OAuthError } from "../../platform/oauth-error";
import { clearPasswordFailures, lockPasswordGrant, takePasswordAttempt } from "./storage";

/** Failed password attempts allowed per partner and username within the window… */
export const PASSWORD_MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
/** …before the username is locked for this long, a correct password included. */
export const PASSWORD_LOCK_MS = 15 * 60_000;

const lockedError = (until: string, now: number) =>
  new OAuthError(
    "invalid_grant",
    `Too many failed attempts for this user; try again in ${Math.max(1, Math.ceil((Date.parse(until) - now) / 1000))} seconds`,
  );

/**
 * The password grant's guard against guessing (OWASP API2): each attempt is counted before the
 * password is checked, so concurrent guesses cannot outrun the count; the fifth failure within
 * 15 minutes locks the username for 15 minutes, whether or not it exists (a lock says nothing
 * about which usernames do). While locked, no password is checked at all. A success clears it.
 */
export async function guardedPasswordCheck(
  db: Db,
  partnerId: string,
  username: string,
  check: () => Promise<boolean>,
  now = Date.now(),
): Promise<boolean> {
  const taken = await takePasswordAttempt(
    db,
    partnerId,
    username,
    new Date(now).toISOString(),
    new Date(now - WINDOW_MS).toISOString(),
  );
  if (taken.lockedUntil && Date.parse(taken.lockedUntil) > now) throw lockedError(taken.lockedUntil, now);
  const lockNow = async () => {
    const until = new Date(now + PASSWORD_LOCK_MS).toISOString();
    await lockPasswordGrant(db, partnerId, username, until);
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
