import { PRODUCTS } from "../../platform/catalog";
import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { insertEvent, sendPending } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import type { Logger } from "../../platform/lib/logger";
import { hashSecret } from "../../platform/lib/secret-hash";
import type { LeasingLimiter } from "../../platform/ratelimit/leasing";
import type { TurnstileConnector } from "./connector/types";
import { enforceLimit } from "./limits";
import {
  NOTIFICATION_EVENT_PREFIX,
  type SandboxPartnerCredentials,
  type SandboxProvisioner,
  VERIFICATION_EMAIL_EVENT,
  VERIFICATION_LINK_TTL_MS,
} from "./model";
import {
  deleteRegistration,
  findRegistrationByEmail,
  insertRegistration,
  markRegistered,
  type RegistrationRow,
} from "./storage";
import { newNonce } from "./verification-link";

export interface RegistrationInput {
  company_name: string;
  country: string;
  contact_email: string;
  password: string;
  products: string[];
  use_case: string;
  turnstile_token: string;
}

export interface RegistrationDeps {
  db: Db;
  config: Config;
  log: Logger;
  turnstile: TurnstileConnector;
  sandbox: SandboxProvisioner;
  events: Queue<{ eventId: string }>;
}

/**
 * Registrations per client IP: 2 a second and a daily quota (`ONBOARDING_REGISTRATIONS_PER_IP_PER_DAY`),
 * on the platform's limiter, counted before anything is read. 429 with code 40 or 41.
 */
export const checkRegistrationLimit = (
  limiter: LeasingLimiter,
  config: Config,
  ip: string | undefined,
  log: Logger,
) =>
  enforceLimit(
    limiter,
    config,
    {
      key: `onboarding-register:${ip ?? "unknown"}`,
      limit: 2,
      windowMs: 1000,
      dailyQuota: config.ONBOARDING_REGISTRATIONS_PER_IP_PER_DAY,
    },
    log,
  );

export interface Registered {
  registration: RegistrationRow;
  sandbox: SandboxPartnerCredentials;
}

/**
 * Registers a company (docs/onboarding.md): the Turnstile check, the email claimed in production's
 * D1, the sandbox partner created by the sandbox Worker (its credentials answered once, never
 * stored here), then the registration marked registered with its verification email in the event
 * outbox, in one batch, and the email sent after the commit. A refusal creates nothing.
 */
export async function register(
  deps: RegistrationDeps,
  input: RegistrationInput,
  ip: string | undefined,
): Promise<Registered> {
  const { db, config, log } = deps;
  if (!config.WEBHOOK_SECRETS_KEY) throw new ApiError("service_unavailable");
  const email = input.contact_email.toLowerCase();

  const check = await deps.turnstile.verify(input.turnstile_token, ip);
  if (!check.success) {
    throw new ApiError("turnstile_failed", { detail: check.errorCodes.join(", ") || "refused" });
  }
  if (await findRegistrationByEmail(db, email)) throw new ApiError("email_already_registered");

  const now = new Date();
  const id = uuidv7();
  const row = {
    id,
    companyName: input.company_name,
    country: input.country,
    contactEmail: email,
    passwordHash: await hashSecret(input.password, "password"),
    productsWanted: input.products,
    useCase: input.use_case,
    status: "provisioning" as const,
    sandboxPartnerId: uuidv7(),
    productionPartnerId: uuidv7(),
    registeredFromIp: ip ?? null,
    verificationNonce: newNonce(),
    verificationExpiresAt: new Date(now.getTime() + VERIFICATION_LINK_TTL_MS).toISOString(),
  };
  if (!(await insertRegistration(db, row))) throw new ApiError("email_already_registered");

  let sandbox: SandboxPartnerCredentials;
  try {
    sandbox = await deps.sandbox.createPartner({
      partnerId: row.sandboxPartnerId,
      registrationId: id,
      companyName: input.company_name,
      email,
      password: input.password,
    });
  } catch (err) {
    log.error("sandbox provisioning failed", {
      registration_id: id,
      error: err instanceof Error ? err.name : "unknown",
    });
    await deleteRegistration(db, id);
    throw new ApiError("sandbox_provisioning_failed", {}, { retryable: true });
  }

  const at = new Date().toISOString();
  const eventId = `${NOTIFICATION_EVENT_PREFIX}${uuidv7()}`;
  // The registrant is no partner: the event row carries the registration's id where a partner's
  // would be (no partner's event log or webhook ever shows it), and no personal data.
  await db.batch([
    markRegistered(db, id, at),
    insertEvent(db, {
      id: eventId,
      type: VERIFICATION_EMAIL_EVENT,
      partnerId: id,
      livemode: config.ENVIRONMENT === "production",
      createdAt: at,
      object: { registration_id: id },
    }),
  ]);
  await sendPending(db, deps.events, [eventId], log);
  log.info("registration created", { registration_id: id, sandbox_partner_id: sandbox.partnerId });
  return {
    registration: { ...row, status: "registered", emailVerifiedAt: null, createdAt: at, updatedAt: at },
    sandbox: {
      ...sandbox,
      products: sandbox.products.filter((p) => (PRODUCTS as readonly string[]).includes(p)),
    },
  };
}
