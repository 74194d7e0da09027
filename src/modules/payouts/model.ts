import type { EventType } from "../../platform/events/events";
import type { Currency } from "../../platform/lib/money";
import { type EntryInput, PLATFORM } from "../ledger/ledger";
import { payoutFailureOf } from "./connector/sandbox";
import type { Destination, PayoutFailureReason, Settlement } from "./connector/types";

export const PAYOUT_STATUSES = ["queued", "sent", "paid", "failed"] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export const PAYOUT_OPERATIONS = ["submit", "settle", "simulate"] as const;
export type PayoutOperation = (typeof PAYOUT_OPERATIONS)[number];

/**
 * `queued → sent → paid | failed` (docs/payments.md); everything else is an illegal transition.
 *  - submit:   handed to the rails (the object's alarm)
 *  - settle:   the rails' answer for a sent payout (the object's alarm)
 *  - simulate: the sandbox's button, from queued (sent first) or sent
 */
export const PAYOUT_ALLOWED_FROM: Record<PayoutOperation, readonly PayoutStatus[]> = {
  submit: ["queued"],
  settle: ["sent"],
  simulate: ["queued", "sent"],
};

export const isPayoutAllowed = (status: PayoutStatus, operation: PayoutOperation) =>
  PAYOUT_ALLOWED_FROM[operation].includes(status);

/** The payout resource (docs/payments.md). */
export interface Payout {
  id: string;
  object: "payout";
  amount: number;
  currency: Currency;
  status: PayoutStatus;
  destination: Destination;
  failure: { code: "payout_failed"; reason: PayoutFailureReason; message: string } | null;
  provider: string;
  provider_reference: string | null;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string;
  livemode: boolean;
}

export interface CreatePayoutInput {
  payoutId: string;
  partnerId: string;
  livemode: boolean;
  amount: number;
  currency: Currency;
  destinationToken: string;
  metadata: Record<string, string>;
  now: string;
}

export const payoutEventOf = (status: PayoutStatus): EventType => `payout.${status}`;

const entry = (payout: Payout, partnerId: string, kind: string, lines: EntryInput["lines"]): EntryInput => ({
  reference: payout.id,
  kind,
  currency: payout.currency,
  partnerId,
  description: `${kind.replace("_", " ")} of payout ${payout.id}`,
  lines,
});

/** Queued: the amount moves from available to reserved, so no other payout can spend it. */
export const holdEntry = (payout: Payout, partnerId: string) =>
  entry(payout, partnerId, "payout_hold", [
    { owner: partnerId, code: "partner_available", direction: "debit", amount: payout.amount },
    { owner: partnerId, code: "partner_reserved", direction: "credit", amount: payout.amount },
  ]);

/** Paid: the reserved money leaves the bank through payout clearing. */
export const paidEntry = (payout: Payout, partnerId: string) =>
  entry(payout, partnerId, "payout_paid", [
    { owner: partnerId, code: "partner_reserved", direction: "debit", amount: payout.amount },
    { owner: PLATFORM, code: "payout_clearing", direction: "credit", amount: payout.amount },
  ]);

/** Failed: the hold is reversed and the money is available again. */
export const reversalEntry = (payout: Payout, partnerId: string) =>
  entry(payout, partnerId, "payout_failed", [
    { owner: partnerId, code: "partner_reserved", direction: "debit", amount: payout.amount },
    { owner: partnerId, code: "partner_available", direction: "credit", amount: payout.amount },
  ]);

/** What the sandbox's simulate button asks for: the destination's own outcome, or this one. */
export type ForcedOutcome = "paid" | "failed" | "natural";

/** A simulate call's settlement: `paid` or `failed` as asked, else what the rails answered. */
export function forcedSettlement(forced: ForcedOutcome, asked: Settlement): Settlement {
  if (forced === "paid") return { status: "paid" };
  if (forced === "failed" && asked.status !== "failed") return payoutFailureOf("bank_unavailable");
  return asked;
}

/** The payout after the rails settled it: paid, or failed with the rails' reason. */
export function settledPayout(
  payout: Payout,
  settlement: Exclude<Settlement, { status: "sent" }>,
  now: string,
): Payout {
  if (settlement.status === "paid") return { ...payout, status: "paid", updated_at: now };
  return {
    ...payout,
    status: "failed",
    failure: { code: "payout_failed", reason: settlement.reason, message: settlement.message },
    updated_at: now,
  };
}
