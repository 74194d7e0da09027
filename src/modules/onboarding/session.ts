import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { derivedHmacKey } from "../../platform/lib/derived-key";
import { verifySecret } from "../../platform/lib/secret-hash";
import { guardedPasswordCheck } from "../partners/lockout";
import { findRegistration, findRegistrationByEmail, type RegistrationRow } from "./storage";

export type { RegistrationRow };

/**
 * The registrant's session on the control plane (docs/onboarding.md): the contact email and the
 * registration's password give a short-lived token (an HS256 JWT, jose) for the `/onboarding`
 * calls that act on the registration: terms, the production application, live credentials.
 * Its key is derived from the platform's data key for this use alone; nothing is stored.
 */
const INFO = "portico/onboarding/session/v1";
const AUDIENCE = "portico-onboarding";
export const SESSION_TTL_SECONDS = 3600;
/** The password grant's lockout table, keyed apart from every partner. */
const LOCKOUT_KEY = "registrations";

function sessionKey(config: Config) {
  if (!config.WEBHOOK_SECRETS_KEY) throw new ApiError("service_unavailable");
  return derivedHmacKey(config.WEBHOOK_SECRETS_KEY, INFO, ["sign", "verify"]);
}

/**
 * Signs in with the contact email and password: 401, code 132, for an unknown email or a wrong
 * password alike (the same PBKDF2 work either way); 429, code 133, after five failures in 15
 * minutes, for 15 minutes, whether the email exists or not.
 */
export async function signIn(db: Db, config: Config, email: string, password: string, now = Date.now()) {
  const key = await sessionKey(config);
  const normalised = email.trim().toLowerCase();
  const registration = await findRegistrationByEmail(db, normalised);
  const ok = await guardedPasswordCheck(
    db,
    LOCKOUT_KEY,
    normalised,
    () => verifySecret(password, registration?.passwordHash, "password"),
    now,
    (seconds) => new ApiError("sign_in_locked", { seconds }, { headers: { "Retry-After": String(seconds) } }),
  );
  if (!ok || !registration || registration.status !== "registered") throw new ApiError("sign_in_failed");
  const iat = Math.floor(now / 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(config.ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(registration.id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + SESSION_TTL_SECONDS)
    .sign(key);
  return {
    registration,
    token,
    expiresAt: new Date((iat + SESSION_TTL_SECONDS) * 1000).toISOString(),
  };
}

/** The registration a session token names: 401, code 131, for anything but a valid, live token. */
export async function registrationOfSession(
  db: Db,
  config: Config,
  authorization: string | undefined,
): Promise<RegistrationRow> {
  const match = /^Bearer ([A-Za-z0-9_.-]{1,2048})$/.exec(authorization ?? "");
  if (!match?.[1]) throw new ApiError("onboarding_session_invalid");
  let subject: string | undefined;
  try {
    const { payload } = await jwtVerify(match[1], await sessionKey(config), {
      algorithms: ["HS256"],
      issuer: config.ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["sub", "exp", "iat"],
    });
    subject = payload.sub;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof joseErrors.JOSEError) throw new ApiError("onboarding_session_invalid");
    throw err;
  }
  const registration = subject ? await findRegistration(db, subject) : undefined;
  if (registration?.status !== "registered") throw new ApiError("onboarding_session_invalid");
  return registration;
}

/** The production partner id the registration reserved (every registration has one, migration 0027). */
export function productionPartnerOf(registration: RegistrationRow): string {
  if (!registration.productionPartnerId) throw new ApiError("service_unavailable");
  return registration.productionPartnerId;
}
