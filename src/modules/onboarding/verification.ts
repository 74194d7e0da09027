import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { insertEvent, markConsumed, sendPending } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import type { Logger } from "../../platform/lib/logger";
import type { LeasingLimiter } from "../../platform/ratelimit/leasing";
import { findEvent } from "../webhooks/storage";
import type { NotificationConnector } from "./connector/types";
import { enforceLimit } from "./limits";
import { NOTIFICATION_EVENT_PREFIX, VERIFICATION_EMAIL_EVENT, VERIFICATION_LINK_TTL_MS } from "./model";
import {
  consumeVerification,
  findRegistration,
  type RegistrationRow,
  renewVerificationNonce,
} from "./storage";
import { newNonce, parseVerificationToken, signVerificationToken, tokenMacValid } from "./verification-link";

/**
 * Checks a verification link and marks the email verified, once: 122 when the token is malformed,
 * altered or unknown (one answer for all three), 124 when it was used (or replaced), 123 when it
 * is past its expiry. Nothing changes on a refusal.
 */
export async function verifyEmail(db: Db, config: Config, token: string, now = new Date()) {
  if (!config.WEBHOOK_SECRETS_KEY) throw new ApiError("service_unavailable");
  const parsed = parseVerificationToken(token);
  if (!parsed) throw new ApiError("verification_link_invalid");
  const registration = await findRegistration(db, parsed.registrationId);
  if (!registration || !(await tokenMacValid(config.WEBHOOK_SECRETS_KEY, parsed, registration.contactEmail)))
    throw new ApiError("verification_link_invalid");
  if (registration.emailVerifiedAt !== null || registration.verificationNonce !== parsed.nonce)
    throw new ApiError("verification_link_used");
  if (parsed.expires * 1000 <= now.getTime())
    throw new ApiError("verification_link_expired", {
      expires_at: new Date(parsed.expires * 1000).toISOString(),
    });
  const at = now.toISOString();
  if (!(await consumeVerification(db, registration.id, parsed.nonce, at)))
    throw new ApiError("verification_link_used");
  return { registrationId: registration.id, emailVerifiedAt: at };
}

/** The link a registration's current verification nonce makes. */
export async function verificationLink(
  config: Config,
  registration: {
    id: string;
    contactEmail: string;
    verificationNonce: string;
    verificationExpiresAt: string;
  },
) {
  if (!config.WEBHOOK_SECRETS_KEY) throw new ApiError("service_unavailable");
  const token = await signVerificationToken(config.WEBHOOK_SECRETS_KEY, {
    registrationId: registration.id,
    email: registration.contactEmail,
    expiresAt: registration.verificationExpiresAt,
    nonce: registration.verificationNonce,
  });
  const base = config.ONBOARDING_LINK_BASE ?? `${new URL(config.ISSUER).origin}/portal/verify`;
  return `${base}?token=${encodeURIComponent(token)}`;
}

/**
 * The events queue's consumer for a verification-email event: builds the link from the stored
 * nonce (the link itself is never stored) and sends it through the notification connector, then
 * marks the event consumed. A failure throws: the queue retries, the cron re-drives. An email
 * already verified, or a link already used, sends nothing.
 */
export async function sendVerificationEmail(
  deps: { db: Db; config: Config; notifications: () => NotificationConnector },
  eventId: string,
): Promise<void> {
  const event = await findEvent(deps.db, eventId);
  if (!event) return;
  const { object } = JSON.parse(event.data) as { object: { registration_id?: string } };
  const registration = object.registration_id
    ? await findRegistration(deps.db, object.registration_id)
    : undefined;
  if (
    registration?.verificationNonce &&
    registration.verificationExpiresAt &&
    registration.emailVerifiedAt === null
  ) {
    const link = await verificationLink(deps.config, {
      id: registration.id,
      contactEmail: registration.contactEmail,
      verificationNonce: registration.verificationNonce,
      verificationExpiresAt: registration.verificationExpiresAt,
    });
    await deps.notifications().send({
      to: registration.contactEmail,
      subject: "Verify your email for Portico",
      text: [
        `Hello ${registration.companyName},`,
        "",
        "Confirm this is your contact email for Portico by opening this link:",
        link,
        "",
        `It works once, until ${registration.verificationExpiresAt}.`,
      ].join("\n"),
      idempotencyKey: eventId,
    });
  }
  await markConsumed(deps.db, eventId);
}

export interface RenewDeps {
  db: Db;
  config: Config;
  limiter: LeasingLimiter;
  log: Logger;
  events: Queue<{ eventId: string }>;
}

/**
 * A new verification link for a registration whose email is not verified yet (409, code 147,
 * once it is): a new nonce and expiry, so every earlier link stops working (124), and the email
 * through the one event outbox, as at registration. One a minute and five a day per registration
 * (429, codes 40 and 41).
 */
export async function renewVerification(deps: RenewDeps, registration: RegistrationRow, now = new Date()) {
  if (registration.emailVerifiedAt !== null) throw new ApiError("email_already_verified");
  if (!deps.config.WEBHOOK_SECRETS_KEY) throw new ApiError("service_unavailable");
  await enforceLimit(
    deps.limiter,
    deps.config,
    { key: `onboarding-verification:${registration.id}`, limit: 1, windowMs: 60_000, dailyQuota: 5 },
    deps.log,
  );
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + VERIFICATION_LINK_TTL_MS).toISOString();
  const eventId = `${NOTIFICATION_EVENT_PREFIX}${uuidv7()}`;
  const [renewed] = await deps.db.batch([
    renewVerificationNonce(deps.db, registration.id, newNonce(), expiresAt, at),
    insertEvent(deps.db, {
      id: eventId,
      type: VERIFICATION_EMAIL_EVENT,
      partnerId: registration.id,
      livemode: deps.config.ENVIRONMENT === "production",
      createdAt: at,
      object: { registration_id: registration.id },
    }),
  ]);
  // Verified in between: the event finds nothing to send and is consumed.
  if (renewed.length === 0) throw new ApiError("email_already_verified");
  await sendPending(deps.db, deps.events, [eventId], deps.log);
  return { registrationId: registration.id, expiresAt };
}
