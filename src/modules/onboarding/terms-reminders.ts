import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { CronContext, CronResult } from "../../platform/cron";
import { eachItem } from "../../platform/cron";
import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { insertEventIfChanged, markConsumed, sendPending } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import { findEvent } from "../webhooks/storage";
import type { NotificationConnector } from "./connector/types";
import { NOTIFICATION_EVENT_PREFIX, TERMS_REMINDER_EVENT } from "./model";
import {
  currentTermsDocument,
  findAcceptance,
  findRegistration,
  findTermsDocument,
  registrations,
  termsAcceptances,
  termsReminders,
} from "./storage";

/** From this long before the current terms' `accept_by` (and after it), registrants are reminded. */
export const REMINDER_WINDOW_MS = 7 * 24 * 3600 * 1000;

/**
 * The registrations to remind of `version`: registered, email verified, with a reserved production
 * partner id (none before migration 0027: skipped), no acceptance of the version under that id, and
 * no reminder of it yet. Oldest registration first, at most `limit`.
 */
export function registrationsToRemind(db: Db, version: string, limit: number) {
  return db
    .select({ id: registrations.id })
    .from(registrations)
    .where(
      and(
        eq(registrations.status, "registered"),
        isNotNull(registrations.emailVerifiedAt),
        isNotNull(registrations.productionPartnerId),
        sql`NOT EXISTS (SELECT 1 FROM ${termsAcceptances} WHERE ${termsAcceptances.partnerId} = ${registrations.productionPartnerId} AND ${termsAcceptances.version} = ${version})`,
        sql`NOT EXISTS (SELECT 1 FROM ${termsReminders} WHERE ${termsReminders.registrationId} = ${registrations.id} AND ${termsReminders.version} = ${version})`,
      ),
    )
    .orderBy(asc(registrations.createdAt), asc(registrations.id))
    .limit(limit);
}

/**
 * The cron's `terms.reminders`: once the current terms' `accept_by` is within REMINDER_WINDOW_MS
 * (or past), each registration that has not accepted that version gets one reminder email. The
 * reminder's row and its `ntf_` event commit in one batch, the row's key (registration, version)
 * deciding races, so the email goes once; the event is sent after the commit, and the outbox's
 * drain and re-drive carry it from there as they carry the verification email.
 */
export async function remindTerms(ctx: CronContext, limit: number): Promise<CronResult> {
  const now = Math.min(ctx.now, Date.now());
  const doc = await currentTermsDocument(ctx.db, new Date(now).toISOString());
  if (!doc || Date.parse(doc.acceptBy) - now > REMINDER_WINDOW_MS) return {};
  const due = await registrationsToRemind(ctx.db, doc.version, limit);
  if (due.length === 0) return { due: 0, reminded: 0, failed: 0 };
  const sent: string[] = [];
  const { done, failed } = await eachItem(
    due,
    async ({ id }) => {
      const at = new Date().toISOString();
      const eventId = `${NOTIFICATION_EVENT_PREFIX}${uuidv7()}`;
      const [inserted] = await ctx.db.batch([
        ctx.db
          .insert(termsReminders)
          .values({ registrationId: id, version: doc.version, eventId, sentAt: at })
          .onConflictDoNothing()
          .returning({ eventId: termsReminders.eventId }),
        // As the verification email: the registration's id where a partner's would be, no personal data.
        insertEventIfChanged(
          ctx.db,
          {
            id: eventId,
            type: TERMS_REMINDER_EVENT,
            partnerId: id,
            livemode: ctx.config.ENVIRONMENT === "production",
            createdAt: at,
            object: { registration_id: id, version: doc.version },
          },
          { table: termsReminders, idColumn: termsReminders.eventId, id: eventId },
        ),
      ]);
      if (inserted.length === 0) return false;
      sent.push(eventId);
      return true;
    },
    (row, error) => ctx.log.warn("terms reminder not recorded", { registration_id: row.id, error }),
  );
  await sendPending(ctx.db, ctx.env.EVENTS_QUEUE, sent, ctx.log);
  return { due: due.length, reminded: done, failed };
}

/**
 * The events queue's consumer for a terms reminder: emails the registration's contact, unless the
 * version was accepted meanwhile or the registration is gone, then marks the event consumed. A
 * failure throws: the queue retries, the cron re-drives. The event id is the message's
 * idempotency key at the notification service, so a re-driven event is one email.
 */
export async function sendTermsReminder(
  deps: { db: Db; config: Config; notifications: () => NotificationConnector },
  eventId: string,
): Promise<void> {
  const event = await findEvent(deps.db, eventId);
  if (!event) return;
  const { object } = JSON.parse(event.data) as { object: { registration_id?: string; version?: string } };
  const registration = object.registration_id
    ? await findRegistration(deps.db, object.registration_id)
    : undefined;
  const doc = object.version ? await findTermsDocument(deps.db, object.version) : undefined;
  const accepted =
    registration?.productionPartnerId && doc
      ? await findAcceptance(deps.db, registration.productionPartnerId, doc.version)
      : undefined;
  if (registration && doc && !accepted) {
    await deps.notifications().send({
      to: registration.contactEmail,
      subject: `Portico's terms of service ${doc.version}: please accept by ${doc.acceptBy}`,
      text: [
        `Hello ${registration.companyName},`,
        "",
        `Version ${doc.version} of Portico's terms of service was published on ${doc.publishedAt}.`,
        `Accept it by ${doc.acceptBy}: after that, production refuses calls until it is accepted.`,
        `Its SHA-256 is ${doc.sha256}. Read and accept it in your Portico onboarding, or once live`,
        "with GET /v1/terms and POST /v1/terms/accept.",
      ].join("\n"),
      idempotencyKey: eventId,
    });
  }
  await markConsumed(deps.db, eventId);
}
