import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import type { EventMessage } from "../../platform/events/events";
import { sendPending } from "../../platform/events/outbox";
import { uuidv7 } from "../../platform/lib/ids";
import { b64url } from "../../platform/lib/secret-hash";
import { methodEvent } from "./events";
import type { Customer, SavedPaymentMethod } from "./model";
import { requireCustomer, takeToken } from "./resolve";
import {
  type CustomerRow,
  deleteCustomer,
  deleteSavedMethod,
  findSavedMethod,
  insertCustomer,
  insertSavedMethod,
  listCustomers,
  listSavedMethods,
  type SavedMethodRow,
  updateCustomer,
} from "./storage";
import { cardViewOf } from "./tokens";

export interface CustomerDeps {
  db: Db;
  config: Config;
  events: Queue<EventMessage>;
}

/** Who owns what a service touches: the partner and whether it is production. */
export interface Owner {
  partnerId: string;
  livemode: boolean;
}

export const customerView = (row: CustomerRow, livemode: boolean): Customer => ({
  id: row.id,
  object: "customer",
  name: row.name,
  email: row.email,
  metadata: row.metadata,
  created_at: row.createdAt,
  updated_at: row.updatedAt,
  livemode,
});

export const savedMethodView = (row: SavedMethodRow, livemode: boolean): SavedPaymentMethod => ({
  id: row.id,
  object: "payment_method",
  type: "card",
  customer: row.customerId,
  card: cardViewOf(row),
  consent: { accepted_at: row.consentAcceptedAt, reference: row.consentReference },
  created_at: row.createdAt,
  livemode,
});

export async function createCustomer(
  deps: CustomerDeps,
  owner: Owner,
  params: { name?: string | null; email?: string | null; metadata: Record<string, string> },
  now: Date,
): Promise<Customer> {
  const at = now.toISOString();
  const row: CustomerRow = {
    id: `cus_${uuidv7(now.getTime()).replace(/-/g, "")}`,
    partnerId: owner.partnerId,
    name: params.name ?? null,
    email: params.email ?? null,
    metadata: params.metadata,
    createdAt: at,
    updatedAt: at,
  };
  // The event carries the id only: a webhook payload is no place for a customer's name or email.
  const event = await methodEvent("customer.created", owner, { id: row.id, object: "customer" }, at);
  await insertCustomer(deps.db, row, event);
  await sendPending(deps.db, deps.events, [event.id]);
  return customerView(row, owner.livemode);
}

export async function getCustomer(db: Db, owner: Owner, id: string) {
  return customerView(await requireCustomer(db, owner.partnerId, id), owner.livemode);
}

export async function listPartnerCustomers(
  db: Db,
  owner: Owner,
  opts: { startingAfter?: string; limit: number },
) {
  const rows = await listCustomers(db, owner.partnerId, opts);
  return {
    data: rows.slice(0, opts.limit).map((r) => customerView(r, owner.livemode)),
    has_more: rows.length > opts.limit,
  };
}

export async function changeCustomer(
  db: Db,
  owner: Owner,
  id: string,
  change: { name?: string | null; email?: string | null; metadata?: Record<string, string> },
  now: Date,
) {
  const row = await updateCustomer(db, owner.partnerId, id, { ...change, updatedAt: now.toISOString() });
  if (!row) throw new ApiError("not_found", { resource: `customer ${id}` });
  return customerView(row, owner.livemode);
}

/** Deletes the customer (its name and email go with it) and detaches every saved method. */
export async function removeCustomer(deps: CustomerDeps, owner: Owner, id: string, now: Date) {
  await requireCustomer(deps.db, owner.partnerId, id);
  const at = now.toISOString();
  const methods = await listSavedMethods(deps.db, owner.partnerId, id);
  const events = await Promise.all([
    ...methods.map((m) =>
      methodEvent("payment_method.detached", owner, savedMethodView(m, owner.livemode), at),
    ),
    methodEvent("customer.deleted", owner, { id, object: "customer", deleted: true }, at),
  ]);
  if (!(await deleteCustomer(deps.db, owner.partnerId, id, events)))
    throw new ApiError("not_found", { resource: `customer ${id}` });
  await sendPending(
    deps.db,
    deps.events,
    events.map((e) => e.id),
  );
  return { id, object: "customer" as const, deleted: true as const };
}

/** A saved method's id, from the token it was made of: an attach retried makes the same one. */
async function savedMethodId(tokenId: string) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`saved:${tokenId}`));
  return `spm_${b64url(new Uint8Array(digest)).slice(0, 24)}`;
}

/**
 * Turns a single-use token into the customer's saved, reusable card, with the customer's
 * consent. The token is consumed by this customer: attaching it again to the same customer
 * answers the same method; any other use is refused (185).
 */
export async function attachMethod(
  deps: CustomerDeps,
  owner: Owner,
  customerId: string,
  params: { payment_method_token: string; consent: { accepted_at: string; reference: string } },
  now: Date,
): Promise<SavedPaymentMethod> {
  await requireCustomer(deps.db, owner.partnerId, customerId);
  const field = "params.payment_method_token";
  const token = params.payment_method_token.startsWith("pm_")
    ? await takeToken(deps.db, owner.partnerId, params.payment_method_token, `customer:${customerId}`, now)
    : undefined;
  if (!token) throw new ApiError("validation", { field, msg: "Unknown payment method token" }, { field });
  const id = await savedMethodId(token.id);
  // Attached already (this is a retry, or the same token sent again): the card as it was saved.
  const saved = await findSavedMethod(deps.db, owner.partnerId, customerId, id);
  if (saved) return savedMethodView(saved, owner.livemode);
  const row: SavedMethodRow = {
    id,
    partnerId: owner.partnerId,
    customerId,
    sourceToken: token.id,
    vaultRef: token.vaultRef,
    brand: token.brand,
    first6: token.first6,
    last4: token.last4,
    country: token.country,
    fingerprint: token.fingerprint,
    expMonth: token.expMonth,
    expYear: token.expYear,
    consentAcceptedAt: params.consent.accepted_at,
    consentReference: params.consent.reference,
    createdAt: now.toISOString(),
  };
  const view = savedMethodView(row, owner.livemode);
  const event = await methodEvent("payment_method.attached", owner, view, row.createdAt);
  const { stored } = await insertSavedMethod(deps.db, row, event);
  if (!stored) throw new Error(`saved method of token ${token.id} not found after insert`);
  await sendPending(deps.db, deps.events, [event.id]);
  return savedMethodView(stored, owner.livemode);
}

export async function listCustomerMethods(db: Db, owner: Owner, customerId: string) {
  await requireCustomer(db, owner.partnerId, customerId);
  const rows = await listSavedMethods(db, owner.partnerId, customerId);
  return { data: rows.map((r) => savedMethodView(r, owner.livemode)), has_more: false };
}

export async function detachMethod(
  deps: CustomerDeps,
  owner: Owner,
  customerId: string,
  id: string,
  now: Date,
) {
  const row = await findSavedMethod(deps.db, owner.partnerId, customerId, id);
  if (!row) throw new ApiError("not_found", { resource: `payment method ${id}` });
  const view = savedMethodView(row, owner.livemode);
  const event = await methodEvent("payment_method.detached", owner, view, now.toISOString());
  const deleted = await deleteSavedMethod(deps.db, owner.partnerId, customerId, id, event);
  if (!deleted) throw new ApiError("not_found", { resource: `payment method ${id}` });
  await sendPending(deps.db, deps.events, [event.id]);
  return view;
}
