import type { Db } from "../../../platform/db/client";
import type { Config } from "../../../platform/env";
import { ApiError } from "../../../platform/errors";
import { sha256Hex } from "../../../platform/lib/ids";
import { randomToken } from "../../../platform/lib/random";
import { openSecret, sealSecret } from "../../../platform/lib/secret-box";
import { SESSION_IDLE_MS } from "../model";
import {
  type ApplicantSessionRow,
  findApplicantSession,
  insertApplicantSession,
  revokeApplicantSession,
  touchApplicantSession,
} from "./storage";

/**
 * A registrant signed in to the portal's onboarding pages. The portal holds the API's own
 * onboarding session (POST /onboarding/session), sealed in D1, and calls the /onboarding API with
 * it; the browser holds only a random cookie. The session lasts as long as that token (1 hour),
 * ends after 30 idle minutes like the portal's, and at sign-out.
 */
export interface ApplicantSession {
  idHash: string;
  registrationId: string;
  csrfToken: string;
  /** The onboarding session token, opened for this request only. */
  token: string;
  expiresAt: string;
}

function dataKey(config: Config): string {
  if (!config.WEBHOOK_SECRETS_KEY) throw new ApiError("service_unavailable");
  return config.WEBHOOK_SECRETS_KEY;
}

const context = (idHash: string) => `portal-applicant:${idHash}`;

/** Keeps the API's session token for a new cookie; answers the cookie (once). */
export async function startApplicantSession(
  db: Db,
  config: Config,
  apiSession: { registration_id: string; token: string; expires_at: string },
  now = Date.now(),
): Promise<string> {
  const cookie = randomToken(32);
  const idHash = await sha256Hex(cookie);
  const at = new Date(now).toISOString();
  const row: ApplicantSessionRow = {
    idHash,
    registrationId: apiSession.registration_id,
    csrfToken: randomToken(24),
    tokenSealed: await sealSecret(apiSession.token, dataKey(config), context(idHash)),
    createdAt: at,
    lastSeenAt: at,
    expiresAt: apiSession.expires_at,
    revokedAt: null,
  };
  await insertApplicantSession(db, row);
  return cookie;
}

/** The session a cookie names, if live (not revoked, not past the token's end, seen within the idle timeout). */
export async function liveApplicantSession(
  db: Db,
  config: Config,
  cookie: string | undefined,
  now = Date.now(),
): Promise<ApplicantSession | undefined> {
  if (!cookie || cookie.length > 100) return undefined;
  const idHash = await sha256Hex(cookie);
  const row = await findApplicantSession(db, idHash);
  if (!row) return undefined;
  const at = new Date(now).toISOString();
  if (row.revokedAt !== null || row.expiresAt <= at) return undefined;
  if (Date.parse(row.lastSeenAt) + SESSION_IDLE_MS <= now) return undefined;
  await touchApplicantSession(db, idHash, at);
  return {
    idHash,
    registrationId: row.registrationId,
    csrfToken: row.csrfToken,
    token: await openSecret(row.tokenSealed, dataKey(config), context(idHash)),
    expiresAt: row.expiresAt,
  };
}

export async function endApplicantSession(db: Db, session: ApplicantSession, now = Date.now()) {
  await revokeApplicantSession(db, session.idHash, new Date(now).toISOString());
}
