import type { OperateOutcome, PaymentObject } from "../../../durable-objects/payment";
import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { idempotencyScope, uuidv7 } from "../../platform/lib/ids";
import type { Currency } from "../../platform/lib/money";
import type { PartnerProfile } from "../../platform/types";
import { requireCustomer, storedMethodOf } from "../payment-methods/resolve";
import { sandboxMethodOf } from "./connector/sandbox";
import type { ClientSignals, Operation, Payment, PaymentSignals, Refund } from "./model";
import { findPaymentObject, findRefundObject, paymentSnapshots } from "./storage";

export interface CreatePaymentParams {
  amount: number;
  currency: Currency;
  payment_method_token: string;
  /** The customer (`cus_…`) paying; needed with a saved card (`spm_…`). */
  customer?: string | undefined;
  capture: boolean;
  metadata: Record<string, string>;
}

/**
 * The name of the object holding the payment a request creates: the request's idempotency
 * scope (environment, partner, key), so that duplicates of the request meet there.
 */
export const paymentObjectName = (environment: string, partnerId: string, idempotencyKey: string) =>
  `payment:${idempotencyScope(environment, partnerId, idempotencyKey)}`;

/** What the payment services need: the D1 projection, the configuration and the payments' objects. */
export interface PaymentDeps {
  db: Db;
  config: Config;
  payments: DurableObjectNamespace<PaymentObject>;
}

/** The Durable Object that holds a payment, by its name. */
const paymentObject = (deps: PaymentDeps, objectName: string) =>
  deps.payments.get(deps.payments.idFromName(objectName));

/**
 * Creates and authorizes (and captures, with `capture: true`) a payment. Its object is
 * named from the request's idempotency scope, so duplicates of the request meet there.
 */
export async function createPayment(
  deps: PaymentDeps,
  partner: PartnerProfile,
  idempotencyKey: string,
  params: CreatePaymentParams,
  client: ClientSignals,
): Promise<Payment> {
  const objectName = paymentObjectName(deps.config.ENVIRONMENT, partner.id, idempotencyKey);
  const customer = params.customer ?? null;
  if (customer) await requireCustomer(deps.db, partner.id, customer);
  const method = await methodOf(deps, partner.id, params.payment_method_token, customer, objectName);
  const outcome = await paymentObject(deps, objectName).create(
    {
      paymentId: uuidv7(),
      partnerId: partner.id,
      livemode: partner.environment === "production",
      feeBps: partner.fees.bps,
      amount: params.amount,
      currency: params.currency,
      paymentMethodToken: method.providerToken,
      capture: params.capture,
      metadata: params.metadata,
      signals: { method: method.method, card: method.card, customer, client },
      now: new Date().toISOString(),
    },
    objectName,
  );
  if (!outcome.ok) unknownMethod();
  return outcome.payment;
}

/**
 * What the token pays with: one of the sandbox's fixed tokens as it is, or a card of the vault
 * (a single-use token, consumed here by the payment's object, or a customer's saved card), for
 * which the provider gets the vault's token and the checks the card's own details.
 */
async function methodOf(
  deps: PaymentDeps,
  partnerId: string,
  token: string,
  customer: string | null,
  objectName: string,
): Promise<Pick<PaymentSignals, "method" | "card"> & { providerToken: string }> {
  const fixed = sandboxMethodOf(token);
  if (fixed) return { ...fixed, providerToken: token };
  const stored = await storedMethodOf(deps, partnerId, token, customer, objectName, new Date());
  if (!stored) unknownMethod();
  return { method: "card", card: stored.card, providerToken: stored.providerToken };
}

function unknownMethod(): never {
  const field = "params.payment_method_token";
  throw new ApiError("validation", { field, msg: "Unknown payment method token" }, { field });
}

/** One of the partner's payments; another partner's id answers exactly as an unknown one. */
export async function getPayment(deps: PaymentDeps, partnerId: string, paymentId: string): Promise<Payment> {
  const objectName = await findPaymentObject(deps.db, partnerId, paymentId);
  const payment = objectName ? await paymentObject(deps, objectName).get() : undefined;
  if (!payment) throw new ApiError("not_found", { resource: `payment ${paymentId}` });
  return payment;
}

/** Confirm (3-D Secure), capture or cancel one of the partner's payments. */
export async function operatePayment(
  deps: PaymentDeps,
  partnerId: string,
  paymentId: string,
  operation: Operation,
  requestKey: string,
): Promise<Payment> {
  const objectName = await findPaymentObject(deps.db, partnerId, paymentId);
  const outcome = objectName
    ? await paymentObject(deps, objectName).operate(operation, requestKey)
    : ({ ok: false, error: "not_found" } as const);
  if (outcome.ok) return outcome.payment;
  return refused(outcome, operation.op, paymentId, operation.op === "capture" ? operation.amount : undefined);
}

/** Refunds captured money of one of the partner's payments, in part or in full. */
export async function refundPayment(
  deps: PaymentDeps,
  partnerId: string,
  paymentId: string,
  requestKey: string,
  params: { amount?: number; reason?: Refund["reason"] },
): Promise<Refund> {
  const objectName = await findPaymentObject(deps.db, partnerId, paymentId);
  if (!objectName) throw new ApiError("not_found", { resource: `payment ${paymentId}` });
  const outcome = await paymentObject(deps, objectName).refund({
    refundId: uuidv7(),
    requestKey,
    ...(params.amount !== undefined ? { amount: params.amount } : {}),
    reason: params.reason ?? null,
  });
  if (outcome.ok) return outcome.refund;
  return refused(outcome, "refund", paymentId, params.amount);
}

export async function getRefund(deps: PaymentDeps, partnerId: string, refundId: string): Promise<Refund> {
  const objectName = await findRefundObject(deps.db, partnerId, refundId);
  const refund = objectName ? await paymentObject(deps, objectName).getRefund(refundId) : undefined;
  if (!refund) throw new ApiError("not_found", { resource: `refund ${refundId}` });
  return refund;
}

/** The catalogue error for a payment object's refusal. */
function refused(
  outcome: Exclude<OperateOutcome, { ok: true }>,
  operation: string,
  paymentId: string,
  amount: number | undefined,
): never {
  if (outcome.error === "not_found") throw new ApiError("not_found", { resource: `payment ${paymentId}` });
  if (outcome.error === "under_review")
    throw new ApiError("payment_under_review", { payment: paymentId, review: outcome.reviewId });
  if (outcome.error === "amount_exceeds") {
    const field = "params.amount";
    const what = operation === "refund" ? "refundable" : "amount_capturable";
    throw new ApiError(
      "amount_exceeds",
      { amount: amount ?? 0, limit: `${what} ${outcome.limit}` },
      { field },
    );
  }
  throw new ApiError("invalid_state_transition", { operation, object: "payment", status: outcome.status });
}

/** The partner's payments from the D1 projection, newest first, optionally by status. */
export async function listPayments(
  db: Db,
  partnerId: string,
  opts: { status?: string; startingAfter?: string; limit: number },
): Promise<{ data: Payment[]; has_more: boolean }> {
  const rows = await paymentSnapshots(db, partnerId, opts);
  return {
    data: rows.slice(0, opts.limit).flatMap((r) => (r.snapshot ? [r.snapshot as unknown as Payment] : [])),
    has_more: rows.length > opts.limit,
  };
}
