import { Secret, TOTP as Totp } from "otpauth";
import { renderSVG } from "uqr";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { openSecret, sealSecret } from "../../platform/lib/secret-box";
import { TOTP } from "./model";
import { acceptTotpStep, setPendingTotp, type UserRow } from "./storage";

// The TOTP secret is sealed under the data key, bound to its user (a sealed secret copied to
// another user's row does not open).
const context = (userId: string) => `portal-totp:${userId}`;

function dataKey(config: Config): string {
  if (!config.WEBHOOK_SECRETS_KEY) throw new ApiError("service_unavailable");
  return config.WEBHOOK_SECRETS_KEY;
}

const totpOf = (secret: string, label: string) =>
  new Totp({
    issuer: TOTP.issuer,
    label,
    algorithm: TOTP.algorithm,
    digits: TOTP.digits,
    period: TOTP.period,
    secret: Secret.fromBase32(secret),
  });

/** Enrolment: a new secret for the user, its otpauth:// URI and that URI as a QR code (SVG, drawn here). */
export async function startEnrolment(
  db: Parameters<typeof setPendingTotp>[0],
  config: Config,
  user: UserRow,
) {
  const secret = new Secret({ size: 20 }).base32;
  const sealed = await sealSecret(secret, dataKey(config), context(user.id));
  if (!(await setPendingTotp(db, user.id, sealed))) return undefined;
  const uri = totpOf(secret, user.username).toString();
  return { secret, uri, qrSvg: renderSVG(uri, { border: 2 }) };
}

/** The enrolment in progress (a reload of its page shows the same secret). */
export async function pendingEnrolment(config: Config, user: UserRow) {
  if (!user.totpSecret || user.totpEnabledAt) return undefined;
  const secret = await openSecret(user.totpSecret, dataKey(config), context(user.id));
  const uri = totpOf(secret, user.username).toString();
  return { secret, uri, qrSvg: renderSVG(uri, { border: 2 }) };
}

/**
 * Checks a code against the user's secret (one step either side), and accepts its time step once.
 * `enable`: the enrolment's confirming code, which turns the second factor on.
 */
export async function checkCode(
  db: Parameters<typeof acceptTotpStep>[0],
  config: Config,
  user: UserRow,
  code: string,
  enable: boolean,
  now = Date.now(),
): Promise<boolean> {
  if (!user.totpSecret || !/^\d{6}$/.test(code)) return false;
  const secret = await openSecret(user.totpSecret, dataKey(config), context(user.id));
  const delta = totpOf(secret, user.username).validate({ token: code, timestamp: now, window: TOTP.window });
  if (delta === null) return false;
  const step = Math.floor(now / 1000 / TOTP.period) + delta;
  return acceptTotpStep(db, user.id, step, enable);
}
