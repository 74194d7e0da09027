import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { findEvent } from "../webhooks/storage";
import type { NotificationConnector } from "./connector/types";
import { TERMS_REMINDER_EVENT, VERIFICATION_EMAIL_EVENT } from "./model";
import { sendTermsReminder } from "./terms-reminders";
import { sendVerificationEmail } from "./verification";

export interface NotificationDeps {
  db: Db;
  config: Config;
  notifications: () => NotificationConnector;
}

/**
 * The events queue's consumer for an `ntf_` event (src/queues.ts): the onboarding's emails, each
 * by its event's type. A failure throws, an unknown type too: the queue retries (then the dead
 * letters), the cron re-drives.
 */
export async function sendNotification(deps: NotificationDeps, eventId: string): Promise<void> {
  const event = await findEvent(deps.db, eventId);
  if (!event) return;
  if (event.type === VERIFICATION_EMAIL_EVENT) await sendVerificationEmail(deps, eventId);
  else if (event.type === TERMS_REMINDER_EVENT) await sendTermsReminder(deps, eventId);
  else throw new UnknownNotification(event.type);
}

export class UnknownNotification extends Error {
  override name = "UnknownNotification";
}
