import { declineOf } from "./connector/sandbox";
import type { Answered, OperationResult, PaymentProvider } from "./connector/types";
import type { CreatePaymentInput, Operation, Payment, Refund } from "./model";
import { isAllowed } from "./state";

// The payment's transitions as rules: what an operation or a refund makes of a payment, given
// what the provider answered. The payment object (durable-objects/payment.ts) runs them one at a
// time and commits what they answer.

/** The new payment as the provider's answer makes it. */
export function paymentFrom(input: CreatePaymentInput, provider: string, result: Answered): Payment {
  // A vault card's own digits, where the provider's answer names only the outcome it simulates.
  const known = input.signals.card;
  const card =
    result.method.type !== "card"
      ? null
      : known
        ? { brand: known.brand, first6: known.first6, last4: known.last4 }
        : result.method.card;
  const base: Payment = {
    id: input.paymentId,
    object: "payment",
    amount: input.amount,
    currency: input.currency,
    status: "pending",
    capture: input.capture,
    amount_capturable: 0,
    amount_captured: 0,
    amount_refunded: 0,
    payment_method: { type: result.method.type, card },
    next_action: null,
    failure: null,
    provider,
    provider_reference: result.providerReference,
    customer: input.signals.customer,
    attempts: [],
    metadata: input.metadata,
    risk: null,
    created_at: input.now,
    updated_at: input.now,
    livemode: input.livemode,
  };
  switch (result.outcome) {
    case "authorized":
      return input.capture
        ? { ...base, status: "captured", amount_captured: input.amount }
        : { ...base, status: "authorized", amount_capturable: input.amount };
    case "requires_action":
      return { ...base, status: "requires_action", next_action: result.action };
    case "pending":
      return { ...base, status: "pending", next_action: result.action };
    case "declined":
      return { ...base, status: "failed", failure: { code: "card_declined", ...result.decline } };
  }
}

/** The payment after a legal operation, as the provider answers it (the same object when nothing changed). */
export async function transition(
  provider: PaymentProvider,
  payment: Payment,
  operation: Operation,
  now: string,
): Promise<Payment> {
  const reference = payment.provider_reference ?? payment.id;
  const settled = { next_action: null, updated_at: now };
  // Authorized (and captured, when the payment asked for it) in full.
  const succeeded: Payment = payment.capture
    ? { ...payment, ...settled, status: "captured", amount_captured: payment.amount }
    : { ...payment, ...settled, status: "authorized", amount_capturable: payment.amount };
  switch (operation.op) {
    case "capture": {
      const amount = operation.amount ?? payment.amount_capturable;
      if (!(await provider.capture(reference, amount)).ok) return payment;
      // Capturing part of an authorization releases the rest.
      return {
        ...payment,
        status: "captured",
        amount_captured: amount,
        amount_capturable: 0,
        updated_at: now,
      };
    }
    case "cancel":
      await provider.void(reference);
      return { ...payment, ...settled, status: "canceled", amount_capturable: 0 };
    case "confirm": {
      const done = await provider.confirmAuthentication(reference, operation.result);
      if (done.ok) return succeeded;
      if (operation.result === "canceled") return { ...payment, ...settled, status: "canceled" };
      return {
        ...payment,
        ...settled,
        status: "failed",
        failure: { code: "card_declined", ...done.decline },
      };
    }
    case "simulate":
      if (operation.outcome === "succeeded") return succeeded;
      return {
        ...payment,
        ...settled,
        status: "failed",
        failure: { code: "card_declined", ...declineOf("do_not_honor") },
      };
    case "expire":
      return { ...payment, ...settled, status: "expired" };
  }
}

/**
 * A refund of `request.amount` as the provider answered it, and the payment after it: a
 * failed refund leaves the payment as it was; a succeeded one refunds it partly or in full.
 */
export function refundOutcome(
  payment: Payment,
  request: { refundId: string; amount: number; reason: Refund["reason"] },
  result: OperationResult,
  now: string,
): { refund: Refund; next: Payment } {
  const refund: Refund = {
    id: request.refundId,
    object: "refund",
    payment_id: payment.id,
    amount: request.amount,
    currency: payment.currency,
    status: result.ok ? "succeeded" : "failed",
    reason: request.reason,
    failure_reason: result.ok ? null : result.decline.reason,
    created_at: now,
    livemode: payment.livemode,
  };
  const refunded = payment.amount_refunded + (result.ok ? request.amount : 0);
  const next: Payment = result.ok
    ? {
        ...payment,
        amount_refunded: refunded,
        status: refunded === payment.amount_captured ? "refunded" : "partially_refunded",
        updated_at: now,
      }
    : payment;
  return { refund, next };
}

/**
 * A held payment's review closed (docs/risk.md): approval captures an authorization whose create
 * asked for capture; rejection voids what is not captured yet. A payment that finished meanwhile
 * (declined 3-D Secure, expired, canceled) only has its review closed.
 */
export async function reviewTransition(
  provider: PaymentProvider,
  payment: Payment,
  outcome: "approve" | "reject",
  now: string,
): Promise<Payment> {
  const risk = payment.risk;
  if (!risk?.review) return payment;
  let next = payment;
  if (outcome === "approve" && payment.status === "authorized" && risk.review.capture_on_approval) {
    next = await transition(provider, { ...payment, capture: true }, { op: "capture" }, now);
    if (next !== payment) next = { ...next, capture: true };
  }
  if (outcome === "reject" && isAllowed(payment.status, "cancel"))
    next = await transition(provider, payment, { op: "cancel" }, now);
  const status = outcome === "approve" ? "approved" : "rejected";
  return { ...next, risk: { ...risk, review: { ...risk.review, status } }, updated_at: now };
}
