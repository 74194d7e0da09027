import { describe, expect, it } from "vitest";
import {
  assertTransition,
  isFinal,
  PAYMENT_OPERATIONS,
  PAYMENT_STATUSES,
  type PaymentOperation,
  type PaymentStatus,
} from "../../../src/modules/payments/state";
import { ApiError } from "../../../src/platform/errors";

// The expected table, written out by hand: every status × every operation.
const LEGAL: Record<PaymentStatus, PaymentOperation[]> = {
  requires_action: ["confirm", "cancel", "expire"],
  pending: ["cancel", "simulate", "expire"],
  authorized: ["capture", "cancel"],
  captured: ["refund"],
  partially_refunded: ["refund"],
  refunded: [],
  failed: [],
  canceled: [],
  expired: [],
};

describe("payment state machine", () => {
  for (const status of PAYMENT_STATUSES) {
    for (const operation of PAYMENT_OPERATIONS) {
      const legal = LEGAL[status].includes(operation);
      it(`${operation} from ${status}: ${legal ? "allowed" : "refused with 409, code 60"}`, () => {
        if (legal) {
          expect(() => assertTransition(status, operation)).not.toThrow();
          return;
        }
        try {
          assertTransition(status, operation);
          expect.unreachable("an illegal transition was allowed");
        } catch (err) {
          expect(err).toBeInstanceOf(ApiError);
          const e = err as ApiError;
          expect([e.status, e.code]).toEqual([409, 60]);
          expect(e.message).toBe(`Cannot ${operation} a payment whose status is ${status}`);
        }
      });
    }
  }

  it("has exactly four final statuses", () => {
    expect(PAYMENT_STATUSES.filter(isFinal)).toEqual(["refunded", "failed", "canceled", "expired"]);
  });
});
