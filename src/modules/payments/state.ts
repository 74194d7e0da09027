import { ApiError } from "../../platform/errors";

export const PAYMENT_STATUSES = [
  "requires_action",
  "pending",
  "authorized",
  "captured",
  "partially_refunded",
  "refunded",
  "failed",
  "canceled",
  "expired",
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_OPERATIONS = ["confirm", "capture", "cancel", "refund", "simulate", "expire"] as const;
export type PaymentOperation = (typeof PAYMENT_OPERATIONS)[number];

/**
 * The only statuses each operation may start from (docs/payments.md). Everything else is an
 * illegal transition: 409, code 60, and nothing changes.
 *  - confirm:  the 3-D Secure result of a payment waiting for it
 *  - capture:  an authorization, in full or in part (the rest is released)
 *  - cancel:   void anything not yet captured or finished
 *  - refund:   captured money, in parts, never more than captured
 *  - simulate: the sandbox's "buttons" for asynchronous outcomes (A2A, QR)
 *  - expire:   a QR or redirect whose time ran out (Durable Object alarm)
 */
export const ALLOWED_FROM: Record<PaymentOperation, readonly PaymentStatus[]> = {
  confirm: ["requires_action"],
  capture: ["authorized"],
  cancel: ["requires_action", "pending", "authorized"],
  refund: ["captured", "partially_refunded"],
  simulate: ["pending"],
  expire: ["pending", "requires_action"],
};

export const isAllowed = (status: PaymentStatus, operation: PaymentOperation) =>
  ALLOWED_FROM[operation].includes(status);

/** Refuses an illegal transition before anything is touched. */
export function assertTransition(status: PaymentStatus, operation: PaymentOperation): void {
  if (!isAllowed(status, operation)) {
    throw new ApiError("invalid_state_transition", { operation, object: "payment", status });
  }
}

/** Final statuses: nothing moves a payment out of these. */
export const isFinal = (status: PaymentStatus) => PAYMENT_OPERATIONS.every((op) => !isAllowed(status, op));
