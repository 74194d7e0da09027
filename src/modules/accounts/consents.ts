import { eachItem } from "../../platform/cron";
import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import type { EventMessage, PorticoEvent } from "../../platform/events/events";
import { sendPending } from "../../platform/events/outbox";
import { isUuid, uuidv7 } from "../../platform/lib/ids";
import type { Logger } from "../../platform/lib/logger";
import type { PartnerProfile } from "../../platform/types";
import { accountsConnectorFor } from "./connector";
import {
  CONSENT_EVENTS,
  type Consent,
  type ConsentOperation,
  type ConsentScope,
  type ConsentStatus,
  consentUse,
  isConsentDue,
  MAX_CONSENT_DAYS,
  nextConsentStatus,
} from "./model";
import {
  type ConsentRow,
  changeConsent,
  consentPage,
  dueConsents,
  findConsent,
  insertConsent,
} from "./storage";

export interface ConsentDeps {
  db: Db;
  queue: Queue<EventMessage>;
  config: Config;
  log: Logger;
}

const DAY_MS = 86_400_000;

export const toConsent = (row: ConsentRow): Consent => ({
  id: row.id,
  object: "consent",
  status: row.status,
  scopes: row.scopes,
  expires_at: row.expiresAt,
  authorisation_url: row.status === "AwaitingAuthorisation" ? row.authorisationUrl : null,
  status_updated_at: row.statusUpdatedAt,
  authorised_at: row.authorisedAt,
  created_at: row.createdAt,
  livemode: row.livemode,
});

/**
 * A consent awaiting the customer's authorisation at the bank. `expires_at` must lie in
 * the future and at most MAX_CONSENT_DAYS ahead. A duplicate create under the same
 * Idempotency-Key answers the first consent.
 */
export async function createConsent(
  deps: ConsentDeps,
  partner: PartnerProfile,
  idempotencyKey: string,
  params: { scopes: ConsentScope[]; expires_at: string },
): Promise<Consent> {
  const now = new Date();
  const expiresAt = Date.parse(params.expires_at);
  const field = "params.expires_at";
  if (expiresAt <= now.getTime())
    throw new ApiError("validation", { field, msg: "must be in the future" }, { field });
  if (expiresAt > now.getTime() + MAX_CONSENT_DAYS * DAY_MS)
    throw new ApiError(
      "validation",
      { field, msg: `must be at most ${MAX_CONSENT_DAYS} days ahead` },
      { field },
    );
  const id = uuidv7(now.getTime());
  const expires = new Date(expiresAt).toISOString();
  const scopes = [...params.scopes].sort();
  const { authorisationUrl } = await accountsConnectorFor(deps.config).registerConsent({
    consentId: id,
    scopes,
    expiresAt: expires,
  });
  const at = now.toISOString();
  const row = await insertConsent(deps.db, {
    id,
    partnerId: partner.id,
    livemode: partner.environment === "production",
    idempotencyKey,
    status: "AwaitingAuthorisation",
    scopes,
    expiresAt: expires,
    authorisationUrl,
    customerRef: null,
    statusUpdatedAt: at,
    authorisedAt: null,
    createdAt: at,
  });
  return toConsent(row);
}

async function ownConsent(db: Db, partnerId: string, id: string): Promise<ConsentRow> {
  const row = await findConsent(db, partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `consent ${id}` });
  return row;
}

type Transition = { ok: true; row: ConsentRow } | { ok: false; status: ConsentRow["status"] };

/**
 * Applies `operation` to the consent as it stands now: a compare-and-set on its status,
 * committed with the transition's event. Refused when the operation is illegal from the
 * consent's status; a change that lost a race is read again and decided again.
 */
async function transition(
  deps: ConsentDeps,
  start: ConsentRow,
  operation: ConsentOperation,
  customerRef?: string,
): Promise<Transition> {
  let row = start;
  for (let attempt = 0; attempt < 5; attempt++) {
    const to = nextConsentStatus(row.status, operation);
    if (!to) return { ok: false, status: row.status };
    const now = new Date().toISOString();
    // A consent expired at its expiry, whenever that is noticed.
    const at = operation === "expire" ? row.expiresAt : now;
    const next: ConsentRow = {
      ...row,
      status: to,
      statusUpdatedAt: at,
      ...(to === "Authorised" ? { authorisedAt: at, customerRef: customerRef ?? null } : {}),
    };
    const type = CONSENT_EVENTS[to];
    const event: PorticoEvent | undefined = type && {
      id: uuidv7(),
      type,
      partnerId: row.partnerId,
      livemode: row.livemode,
      createdAt: now,
      object: { ...toConsent(next) },
    };
    const changed = await changeConsent(deps.db, {
      id: row.id,
      from: row.status,
      to,
      at,
      ...(to === "Authorised" ? { authorisedAt: at, ...(customerRef ? { customerRef } : {}) } : {}),
      ...(event ? { event } : {}),
    });
    if (changed) {
      // Committed with its event: a failed send leaves it in the outbox for the drainer.
      if (event) await sendPending(deps.db, deps.queue, [event.id], deps.log);
      return { ok: true, row: changed };
    }
    row = await ownConsent(deps.db, row.partnerId, row.id);
  }
  throw new Error(`consent ${row.id} kept changing under ${operation}`);
}

/** The consent as it stands now: one whose `expires_at` has passed becomes Expired here, once. */
async function current(deps: ConsentDeps, row: ConsentRow, now = new Date()): Promise<ConsentRow> {
  if (!isConsentDue(row.status, row.expiresAt, now)) return row;
  const expired = await transition(deps, row, "expire");
  return expired.ok ? expired.row : ownConsent(deps.db, row.partnerId, row.id);
}

/**
 * The cron's sweep: up to `limit` consents past their `expires_at` at `now`, the longest expired
 * first, each made Expired through the same step as a read (a compare-and-set committed with
 * `consent.expired`), so the event is published once whether the sweep or a read gets there
 * first. A consent that fails is logged and left for the next run.
 */
export async function expireDueConsents(deps: ConsentDeps, opts: { now: Date; limit: number }) {
  const due = await dueConsents(deps.db, opts.now.toISOString(), opts.limit);
  const { done, failed } = await eachItem(
    due,
    async (row) => (await current(deps, row, opts.now)).status === "Expired",
    (row, error) => deps.log.warn("consent not expired", { consent_id: row.id, error }),
  );
  return { due: due.length, expired: done, failed };
}

/** One of the partner's consents; another partner's id answers exactly as an unknown one. */
export async function getConsent(deps: ConsentDeps, partnerId: string, id: string): Promise<Consent> {
  return toConsent(await current(deps, await ownConsent(deps.db, partnerId, id)));
}

/**
 * The partner's consents, newest first, each as it stands now: `status` filters by that
 * status, and a consent of the page found past its expiry becomes Expired through the same
 * step as a single read (so `consent.expired` is published once, whichever read sees it first).
 */
export async function listConsents(
  deps: ConsentDeps,
  partnerId: string,
  opts: { status?: ConsentStatus; startingAfter?: string; limit: number },
): Promise<{ data: Consent[]; has_more: boolean }> {
  const now = new Date();
  const rows = await consentPage(deps.db, partnerId, { ...opts, now: now.toISOString() });
  const page = await Promise.all(rows.slice(0, opts.limit).map((row) => current(deps, row, now)));
  return { data: page.map(toConsent), has_more: rows.length > opts.limit };
}

/**
 * Revokes (the partner), or authorises or rejects (the customer, simulated in the sandbox)
 * one of the partner's consents. An illegal transition is 409, code 60, and changes nothing.
 */
export async function operateConsent(
  deps: ConsentDeps,
  partnerId: string,
  id: string,
  operation: "authorise" | "reject" | "revoke",
  customerRef?: string,
): Promise<Consent> {
  const row = await current(deps, await ownConsent(deps.db, partnerId, id));
  const result = await transition(deps, row, operation, customerRef);
  if (result.ok) return toConsent(result.row);
  throw new ApiError("invalid_state_transition", { operation, object: "consent", status: result.status });
}

/** What an account-information call may read with: the consent and the bank's customer. */
export interface UsableConsent {
  id: string;
  customerRef: string;
}

/**
 * The consent a `Consent-Id` names, if it lets the partner read `scope` now. Missing,
 * malformed, unknown and another partner's ids are all 70, alike (a foreign consent's
 * existence is never revealed); a consent not Authorised (or past its expiry) is 71
 * with its status; one that does not cover the scope is 72.
 */
export async function usableConsent(
  deps: ConsentDeps,
  partnerId: string,
  consentId: string | undefined,
  scope: ConsentScope,
): Promise<UsableConsent> {
  const id = consentId?.trim();
  if (!id || !isUuid(id)) throw new ApiError("consent_required");
  const found = await findConsent(deps.db, partnerId, id.toLowerCase());
  if (!found) throw new ApiError("consent_required");
  const row = await current(deps, found);
  const use = consentUse(row, scope);
  if (!use.ok && use.error === "consent_not_usable") throw new ApiError(use.error, { status: use.status });
  if (!use.ok) throw new ApiError(use.error, { scope: use.scope });
  if (!row.customerRef) throw new Error(`authorised consent ${row.id} has no customer`);
  return { id: row.id, customerRef: row.customerRef };
}
