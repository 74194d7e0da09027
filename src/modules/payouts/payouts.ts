import type { PayoutObject } from "../../../durable-objects/payout";
import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { idempotencyScope, uuidv7 } from "../../platform/lib/ids";
import type { Currency } from "../../platform/lib/money";
import type { PartnerProfile } from "../../platform/types";
import type { ForcedOutcome, Payout } from "./model";
import { findPayoutObject, payoutSnapshots } from "./storage";

export interface CreatePayoutParams {
  amount: number;
  currency: Currency;
  destination_token: string;
  metadata: Record<string, string>;
}

/**
 * The name of the object holding the payout a request creates: the request's idempotency
 * scope (environment, partner, key), so that duplicates of the request meet there.
 */
export const payoutObjectName = (environment: string, partnerId: string, idempotencyKey: string) =>
  `payout:${idempotencyScope(environment, partnerId, idempotencyKey)}`;

/** What the payout services need: the D1 projection, the configuration and the payouts' objects. */
export interface PayoutDeps {
  db: Db;
  config: Config;
  payouts: DurableObjectNamespace<PayoutObject>;
}

/** The Durable Object that holds a payout, by its name. */
const payoutObject = (deps: PayoutDeps, objectName: string) =>
  deps.payouts.get(deps.payouts.idFromName(objectName));

/**
 * Queues a payout from the partner's available balance, which it can never take below
 * zero. Its object is named from the request's idempotency scope, so duplicates meet there.
 */
export async function createPayout(
  deps: PayoutDeps,
  partner: PartnerProfile,
  idempotencyKey: string,
  params: CreatePayoutParams,
): Promise<Payout> {
  const objectName = payoutObjectName(deps.config.ENVIRONMENT, partner.id, idempotencyKey);
  const outcome = await payoutObject(deps, objectName).create(
    {
      payoutId: uuidv7(),
      partnerId: partner.id,
      livemode: partner.environment === "production",
      amount: params.amount,
      currency: params.currency,
      destinationToken: params.destination_token,
      metadata: params.metadata,
      now: new Date().toISOString(),
    },
    objectName,
  );
  if (outcome.ok) return outcome.payout;
  if (outcome.error === "unknown_destination") {
    const field = "params.destination_token";
    throw new ApiError("validation", { field, msg: "Unknown destination token" }, { field });
  }
  throw new ApiError(
    "insufficient_balance",
    { amount: params.amount, currency: params.currency, available: outcome.available },
    { field: "params.amount" },
  );
}

async function findPayout(db: Db, partnerId: string, payoutId: string) {
  const objectName = await findPayoutObject(db, partnerId, payoutId);
  if (!objectName) throw new ApiError("not_found", { resource: `payout ${payoutId}` });
  return objectName;
}

/** One of the partner's payouts; another partner's id answers exactly as an unknown one. */
export async function getPayout(deps: PayoutDeps, partnerId: string, payoutId: string): Promise<Payout> {
  const payout = await payoutObject(deps, await findPayout(deps.db, partnerId, payoutId)).get();
  if (!payout) throw new ApiError("not_found", { resource: `payout ${payoutId}` });
  return payout;
}

/** Sandbox only: sends and settles one of the partner's payouts now. */
export async function simulatePayout(
  deps: PayoutDeps,
  partnerId: string,
  payoutId: string,
  outcome: ForcedOutcome,
): Promise<Payout> {
  const result = await payoutObject(deps, await findPayout(deps.db, partnerId, payoutId)).simulate(outcome);
  if (result.ok) return result.payout;
  if (result.error === "not_found") throw new ApiError("not_found", { resource: `payout ${payoutId}` });
  throw new ApiError("invalid_state_transition", {
    operation: "simulate",
    object: "payout",
    status: result.status,
  });
}

/**
 * The partner's payouts from the D1 projection, newest first, optionally by status. A row
 * written before projections carried the payout (no snapshot) is skipped.
 */
export async function listPayouts(
  db: Db,
  partnerId: string,
  opts: { status?: string; startingAfter?: string; limit: number },
): Promise<{ data: Payout[]; has_more: boolean }> {
  const rows = await payoutSnapshots(db, partnerId, opts);
  return {
    data: rows.slice(0, opts.limit).flatMap((r) => (r.snapshot ? [r.snapshot as unknown as Payout] : [])),
    has_more: rows.length > opts.limit,
  };
}
