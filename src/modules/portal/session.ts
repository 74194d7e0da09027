import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { sha256Hex } from "../../platform/lib/ids";
import { randomToken } from "../../platform/lib/random";
import { constantTimeTextEqual, verifySecret } from "../../platform/lib/secret-hash";
import { guardedPasswordCheck } from "../partners/lockout";
import { findUser } from "../partners/storage";
import { type Role, SECOND_FACTOR_MS, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "./model";
import { checkCode } from "./second-factor";
import {
  findSession,
  insertSession,
  replaceSession,
  revokeSession,
  revokeUserSessions,
  type SessionRow,
  touchSession,
  type UserRow,
} from "./storage";

/** A signed-in person, as the portal's pages see them. */
export interface PortalUser {
  id: string;
  partnerId: string;
  username: string;
  role: Role;
  secondFactor: boolean;
}

export interface LiveSession {
  /** The cookie's hash: the session's id in D1. */
  idHash: string;
  csrfToken: string;
  stage: SessionRow["stage"];
  user: PortalUser;
  row: UserRow;
}

const asUser = (row: UserRow): PortalUser => ({
  id: row.id,
  partnerId: row.partnerId,
  username: row.username,
  role: row.role,
  secondFactor: row.totpEnabledAt !== null,
});

/** A new session for `user` at `stage`: its cookie value (returned once) and its row. */
async function newSession(user: UserRow, stage: SessionRow["stage"], now: number) {
  const cookie = randomToken(32);
  const row: SessionRow = {
    idHash: await sha256Hex(cookie),
    userId: user.id,
    partnerId: user.partnerId,
    csrfToken: randomToken(24),
    stage,
    createdAt: new Date(now).toISOString(),
    lastSeenAt: new Date(now).toISOString(),
    expiresAt: new Date(now + (stage === "full" ? SESSION_ABSOLUTE_MS : SECOND_FACTOR_MS)).toISOString(),
    revokedAt: null,
  };
  return { cookie, row };
}

/** The portal's lockout: the password grant's counter for the same user (one guard, not two). */
const locked = (seconds: number) => new ApiError("portal_locked", { seconds });

/**
 * The password step. A wrong partner id, username or password give the same refusal (160), and
 * every attempt counts toward the user's lockout (161). The second factor is due next when the
 * user has one, or when production requires one; otherwise the session is complete.
 */
export async function signIn(
  db: Db,
  config: Config,
  input: { partnerId: string; username: string; password: string },
  now = Date.now(),
) {
  const user = await findUser(db, input.partnerId, input.username);
  const ok = await guardedPasswordCheck(
    db,
    input.partnerId,
    input.username,
    () => verifySecret(input.password, user?.passwordHash, "password"),
    now,
    locked,
  );
  if (!user || !ok || user.status !== "active") throw new ApiError("portal_sign_in_failed");
  const needsSecondStep = user.totpEnabledAt !== null || config.ENVIRONMENT === "production";
  const session = await newSession(user, needsSecondStep ? "password" : "full", now);
  await insertSession(db, session.row);
  return { cookie: session.cookie, stage: session.row.stage, enrolled: user.totpEnabledAt !== null };
}

/**
 * The second step: the code from the authenticator (or the enrolment's first code), checked once
 * and counted toward the lockout like a password. The session is replaced by a new, complete one.
 */
export async function completeSecondFactor(
  db: Db,
  config: Config,
  session: LiveSession,
  code: string,
  now = Date.now(),
) {
  const enrolling = session.row.totpEnabledAt === null;
  const ok = await guardedPasswordCheck(
    db,
    session.user.partnerId,
    `totp:${session.user.username}`,
    () => checkCode(db, config, session.row, code.trim(), enrolling, now),
    now,
    locked,
  );
  if (!ok) throw new ApiError("portal_second_factor_failed");
  const next = await newSession({ ...session.row, totpEnabledAt: "now" }, "full", now);
  await replaceSession(db, session.idHash, next.row);
  return { cookie: next.cookie };
}

/**
 * The session a cookie names, if it is live: not revoked, within its absolute lifetime, and seen
 * within the idle timeout. Being found counts as activity.
 */
export async function liveSession(
  db: Db,
  cookie: string | undefined,
  now = Date.now(),
): Promise<LiveSession | undefined> {
  if (!cookie || cookie.length > 100) return undefined;
  const idHash = await sha256Hex(cookie);
  const found = await findSession(db, idHash);
  if (!found) return undefined;
  const { session, user } = found;
  const at = new Date(now).toISOString();
  if (session.revokedAt !== null || session.expiresAt <= at || user.status !== "active") return undefined;
  if (Date.parse(session.lastSeenAt) + SESSION_IDLE_MS <= now) return undefined;
  await touchSession(db, idHash, at);
  return { idHash, csrfToken: session.csrfToken, stage: session.stage, user: asUser(user), row: user };
}

export async function signOut(db: Db, session: LiveSession, now = Date.now()) {
  await revokeSession(db, session.idHash, new Date(now).toISOString());
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhere(db: Db, session: LiveSession, now = Date.now()) {
  await revokeUserSessions(db, session.user.id, new Date(now).toISOString());
}

/** The form's CSRF token matches its session's (constant time). */
export function csrfMatches(session: LiveSession, token: string | undefined): boolean {
  return constantTimeTextEqual(token, session.csrfToken);
}
