import type { Db } from "../../platform/db/client";
import type { CreatePaymentInput, Payment } from "../payments/model";
import type { PaymentStatus } from "../payments/state";
import type { Review, RiskOutcome } from "./model";
import { upsertReview } from "./storage";

// What the assessment's decision does to a payment's create (docs/risk.md), for the payment's
// object: block fails it before any provider call, step_up asks for 3-D Secure, hold authorizes
// only and opens a review.

/** The provider's instructions for a decision that lets the payment through. */
export const authorizeTerms = (input: CreatePaymentInput, risk: RiskOutcome) => ({
  capture: input.capture && risk.decision !== "hold",
  forceAuthentication: risk.decision === "step_up",
});

/** A blocked payment: failed with reason `risk_decline`, no provider ever asked. */
export function blockedPayment(input: CreatePaymentInput, risk: RiskOutcome): Payment {
  const card = input.signals.card;
  return {
    id: input.paymentId,
    object: "payment",
    amount: input.amount,
    currency: input.currency,
    status: "failed",
    capture: input.capture,
    amount_capturable: 0,
    amount_captured: 0,
    amount_refunded: 0,
    payment_method: {
      type: input.signals.method,
      card: card ? { brand: card.brand, first6: card.first6, last4: card.last4 } : null,
    },
    next_action: null,
    failure: {
      code: "card_declined",
      reason: "risk_decline",
      message: "The payment was declined by risk checks.",
      retryable: false,
    },
    provider: "risk",
    provider_reference: null,
    metadata: input.metadata,
    customer: input.signals.customer,
    // No provider was asked.
    attempts: [],
    risk,
    created_at: input.now,
    updated_at: input.now,
    livemode: input.livemode,
  };
}

/** A held payment opens its review only if the provider let it through (a decline has nothing to review). */
export function withRisk(payment: Payment, risk: RiskOutcome): Payment {
  const reviewable: PaymentStatus[] = ["authorized", "requires_action", "pending"];
  const review = risk.review && reviewable.includes(payment.status) ? risk.review : null;
  return { ...payment, risk: { ...risk, review } };
}

/** The review of a held payment, as the queue and the `review.*` events show it. */
export function reviewOf(payment: Payment): Review | null {
  const review = payment.risk?.review;
  if (!payment.risk || !review) return null;
  return {
    id: review.id,
    object: "review",
    payment_id: payment.id,
    status: review.status,
    decision: "hold",
    rules: payment.risk.rules,
    amount: payment.amount,
    currency: payment.currency,
    capture_on_approval: review.capture_on_approval,
    created_at: payment.created_at,
    closed_at: review.status === "open" ? null : payment.updated_at,
    livemode: payment.livemode,
  };
}

/** The review queue's row, written with the payment's own projection (and again by its alarm). */
export async function indexReview(db: Db, payment: Payment, objectName: string, partnerId: string) {
  const review = reviewOf(payment);
  if (!review) return;
  await upsertReview(db, {
    id: review.id,
    partnerId,
    paymentId: payment.id,
    objectName,
    status: review.status,
    snapshot: review,
    createdAt: review.created_at,
    updatedAt: payment.updated_at,
  });
}
