import { describe, expect, it } from "vitest";
import {
  isPayoutAllowed,
  PAYOUT_OPERATIONS,
  PAYOUT_STATUSES,
  type PayoutOperation,
  type PayoutStatus,
} from "../../../src/modules/payouts/model";

// The expected table, written out by hand: every status × every operation.
const LEGAL: Record<PayoutStatus, PayoutOperation[]> = {
  queued: ["submit", "simulate"],
  sent: ["settle", "simulate"],
  paid: [],
  failed: [],
};

describe("payout state machine: queued → sent → paid | failed", () => {
  for (const status of PAYOUT_STATUSES) {
    for (const operation of PAYOUT_OPERATIONS) {
      const legal = LEGAL[status].includes(operation);
      it(`${operation} from ${status}: ${legal ? "allowed" : "refused"}`, () => {
        expect(isPayoutAllowed(status, operation)).toBe(legal);
      });
    }
  }
});
