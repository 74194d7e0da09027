import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { sha256Hex, uuidv7 } from "../../platform/lib/ids";
import { randomToken } from "../../platform/lib/random";
import { hashSecret } from "../../platform/lib/secret-hash";
import { findUser } from "../partners/storage";
import { INVITATION_MS, PASSWORD_MIN_LENGTH, type Role } from "./model";
import type { PortalUser } from "./session";
import { acceptInvitation, findInvitation, insertInvitation, listInvitations, listUsers } from "./storage";

const USERNAME = /^[A-Za-z0-9._@-]{3,64}$/;

export async function team(db: Db, partnerId: string) {
  const [users, invitations] = await Promise.all([listUsers(db, partnerId), listInvitations(db, partnerId)]);
  return {
    users: users.map((u) => ({
      username: u.username,
      role: u.role,
      status: u.status,
      secondFactor: u.totpEnabledAt !== null,
    })),
    invitations: invitations
      .filter((i) => i.expiresAt > new Date().toISOString())
      .map((i) => ({ username: i.username, role: i.role, expiresAt: i.expiresAt, invitedBy: i.invitedBy })),
  };
}

/**
 * An owner invites a team member by username and role: a one-time link (its token shown once to
 * the owner, stored as a hash), good for 7 days.
 */
export async function invite(db: Db, owner: PortalUser, username: string, role: Role, now = Date.now()) {
  if (!USERNAME.test(username))
    throw new ApiError("validation", { field: "username", msg: "3 to 64 letters, digits or . _ @ -" });
  if (await findUser(db, owner.partnerId, username)) throw new ApiError("portal_username_taken");
  const token = randomToken(32);
  await insertInvitation(db, {
    id: uuidv7(),
    partnerId: owner.partnerId,
    username,
    role,
    tokenHash: await sha256Hex(token),
    invitedBy: owner.username,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + INVITATION_MS).toISOString(),
    acceptedAt: null,
  });
  return { token };
}

/** The invitation a link names, while it is good (not accepted, not expired). */
export async function openInvitation(db: Db, token: string, now = Date.now()) {
  if (!token || token.length > 100) return undefined;
  const found = await findInvitation(db, await sha256Hex(token));
  if (!found || found.acceptedAt !== null || found.expiresAt <= new Date(now).toISOString()) return undefined;
  return found;
}

/** The invitee sets a password: the user exists from then on, and the link is spent. */
export async function acceptWithPassword(db: Db, token: string, password: string, now = Date.now()) {
  const invitation = await openInvitation(db, token, now);
  if (!invitation) throw new ApiError("portal_invitation_invalid");
  if (password.length < PASSWORD_MIN_LENGTH || password.length > 1024)
    throw new ApiError("portal_password_weak", { min: PASSWORD_MIN_LENGTH });
  if (await findUser(db, invitation.partnerId, invitation.username))
    throw new ApiError("portal_username_taken");
  const at = new Date(now).toISOString();
  const accepted = await acceptInvitation(
    db,
    invitation,
    {
      id: uuidv7(),
      partnerId: invitation.partnerId,
      username: invitation.username,
      passwordHash: await hashSecret(password, "password"),
      role: invitation.role,
      createdAt: at,
      updatedAt: at,
    },
    at,
  );
  if (!accepted) throw new ApiError("portal_invitation_invalid");
  return { partnerId: invitation.partnerId, username: invitation.username };
}
