import { eachItem } from "../../platform/cron";
import { ApiError } from "../../platform/errors";
import { sendPending } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import type { Logger } from "../../platform/lib/logger";
import type { PartnerProfile } from "../../platform/types";
import { SandboxCardSystem } from "./connector/sandbox";
import type { BankCard, CardSystem, IssuingState } from "./connector/types";
import type { CardDeps } from "./deps";
import { cardEvent, cardEventId } from "./events";
import type { Applicant, CardApplication, CardCurrency, CardType } from "./model";
import {
  type ApplicationRow,
  applicationsInProduction,
  completeApplication,
  findApplication,
  findCardBy,
  insertApplication,
  setApplicationReference,
} from "./storage";
import { applicantOf, applicationEventObject, applicationView, submittedOrder } from "./views";

export interface CreateApplicationParams {
  type: CardType;
  currency: CardCurrency;
  applicant: Applicant;
  metadata: Record<string, string>;
}

const notFound = () => new ApiError("application_not_found");

/** The application's order at the card system, placed once: a retry of a placed order asks where it stands. */
async function placeOrder(deps: CardDeps, row: ApplicationRow): Promise<[ApplicationRow, IssuingState]> {
  if (row.reference !== null) {
    return [
      row,
      await deps.system.orderStatus(submittedOrder({ ...row, reference: row.reference }), Date.now()),
    ];
  }
  const state = await deps.system.orderCard({
    applicationId: row.id,
    type: row.type,
    currency: row.currency,
    applicant: applicantOf(row),
  });
  const now = new Date().toISOString();
  await setApplicationReference(deps.db, row.id, state.reference, now);
  return [{ ...row, reference: state.reference, submittedAt: now, updatedAt: now }, state];
}

/** Records an issued card and completes its application (once), with `card_application.completed`. */
async function complete(deps: CardDeps, row: ApplicationRow, card: BankCard): Promise<ApplicationRow> {
  const now = new Date().toISOString();
  const eventId = await cardEventId("card_application.completed", row.id, now);
  await completeApplication(
    deps.db,
    row,
    {
      id: uuidv7(),
      partnerId: row.partnerId,
      origin: "issued",
      cardRef: card.reference,
      applicationId: row.id,
      type: row.type,
      currency: row.currency,
      first6: card.first6,
      last4: card.last4,
      holderName: card.holderName,
      expiryMonth: card.expiryMonth,
      expiryYear: card.expiryYear,
      phoneNumber: applicantOf(row).phone_number,
      status: "active",
      livemode: row.livemode,
      createdAt: now,
      updatedAt: now,
    },
    now,
    (completed, issued) =>
      cardEvent(
        eventId,
        "card_application.completed",
        now,
        completed,
        applicationEventObject(completed, issued),
      ),
  );
  const completed = await findApplication(deps.db, row.partnerId, row.id);
  if (completed?.status !== "completed") throw new Error("the card application did not complete");
  // Completed by a concurrent request meanwhile: its event, which that request sends too.
  await sendCompleted(deps, completed);
  return completed;
}

/** Sends `card_application.completed` if still pending: the one event of the completion as stored. */
async function sendCompleted(deps: CardDeps, row: ApplicationRow) {
  await sendPending(deps.db, deps.events, [
    await cardEventId("card_application.completed", row.id, row.completedAt ?? row.updatedAt),
  ]);
}

async function view(deps: CardDeps, row: ApplicationRow): Promise<CardApplication> {
  return applicationView(row, await findCardBy(deps.db, "applicationId", row.id));
}

/**
 * Orders a card. A virtual card is usually issued at once (`completed`, with its card); a
 * physical one stays `in_progress` until the card system has produced it. A retry under
 * the same Idempotency-Key resumes the same application; the order is placed once.
 */
export async function createApplication(
  deps: CardDeps,
  partner: PartnerProfile,
  idempotencyKey: string,
  params: CreateApplicationParams,
): Promise<CardApplication> {
  const now = new Date().toISOString();
  const id = uuidv7();
  const createdEventId = await cardEventId("card_application.created", id, now);
  const stored = await insertApplication(
    deps.db,
    {
      id,
      partnerId: partner.id,
      idempotencyKey,
      type: params.type,
      currency: params.currency,
      status: "in_progress",
      reference: null,
      applicant: { ...params.applicant },
      metadata: params.metadata,
      livemode: partner.environment === "production",
      createdAt: now,
      updatedAt: now,
    },
    (created) =>
      cardEvent(
        createdEventId,
        "card_application.created",
        now,
        created,
        applicationEventObject(created, undefined),
      ),
  );
  if (!stored) throw new Error("the card application was not stored");
  // The key's application, created now or by an earlier attempt: its created event as stored.
  await sendPending(deps.db, deps.events, [
    await cardEventId("card_application.created", stored.id, stored.createdAt),
  ]);
  let row = stored;
  let issued: BankCard | undefined;
  if (row.status !== "completed") {
    const [placed, state] = await placeOrder(deps, row);
    row = placed;
    if (state.status === "completed") issued = state.card;
  }
  if (issued) row = await complete(deps, row, issued);
  else if (row.status === "completed") await sendCompleted(deps, row);
  return view(deps, row);
}

/**
 * A completed application with its card. Unknown (or another partner's) is 1000; one the
 * card system is still working on is 1001, as the bank's contract answers (002).
 */
export async function getApplication(
  deps: CardDeps,
  partnerId: string,
  id: string,
): Promise<CardApplication> {
  const row = await findApplication(deps.db, partnerId, id);
  if (!row) throw notFound();
  if (row.status === "completed") return view(deps, row);
  // Not submitted yet: its create is still running or failed upstream, and will be retried.
  if (row.reference === null) throw new ApiError("application_in_progress");
  const [, state] = await placeOrder(deps, row);
  if (state.status !== "completed") throw new ApiError("application_in_progress");
  return view(deps, await complete(deps, row, state.card));
}

/**
 * The cron's follow-up: up to `limit` applications whose card is being produced ask the card
 * system where their order stands, the oldest order first, and complete through the same step
 * as a read, so the card is recorded and `card_application.completed` published once whether the
 * cron or a read learns of it first. The card system is reached only when there is something to
 * ask. One whose question fails is logged and asked again on a later run.
 */
export async function followUpApplications(
  deps: Omit<CardDeps, "system">,
  opts: { limit: number; system: () => CardSystem; log: Pick<Logger, "warn"> },
) {
  const inProduction = await applicationsInProduction(deps.db, opts.limit);
  if (inProduction.length === 0) return { in_production: 0, completed: 0, failed: 0 };
  const withSystem = { ...deps, system: opts.system() };
  const { done, failed } = await eachItem(
    inProduction,
    async (row) => {
      const [, state] = await placeOrder(withSystem, row);
      if (state.status !== "completed") return false;
      await complete(withSystem, row, state.card);
      return true;
    },
    (row, error) => opts.log.warn("card application follow-up failed", { application_id: row.id, error }),
  );
  return { in_production: inProduction.length, completed: done, failed };
}

/** Sandbox only: the card system issues the card of an application in progress now. */
export async function simulateApplication(
  deps: CardDeps,
  partnerId: string,
  id: string,
  route: { method: string; path: string },
): Promise<CardApplication> {
  // With the bank's card system connected there is no simulator to press.
  if (!(deps.system instanceof SandboxCardSystem)) throw new ApiError("route_not_found", route);
  const row = await findApplication(deps.db, partnerId, id);
  if (!row) throw notFound();
  if (row.status === "completed") {
    throw new ApiError("invalid_state_transition", {
      operation: "simulate",
      object: "card_application",
      status: row.status,
    });
  }
  if (row.reference === null) throw new ApiError("application_in_progress");
  const card = await deps.system.issue(submittedOrder({ ...row, reference: row.reference }), Date.now());
  return view(deps, await complete(deps, row, card));
}
