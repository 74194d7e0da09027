import type { EventType } from "../../platform/events/events";
import { basisPoints, type Currency } from "../../platform/lib/money";
import { type EntryInput, PLATFORM } from "../ledger/ledger";
import type { RiskOutcome } from "../risk/model";
import type { PaymentStatus } from "./state";

/** Why a bank declined: an outcome, not a request error (docs/payments.md). */
export const DECLINE_REASONS = [
  "insufficient_funds",
  "do_not_honor",
  "stolen_card",
  "limit_exceeded",
  "risk_decline",
  "bank_unavailable",
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export interface CardDetails {
  brand: "visa" | "mastercard";
  /** Only the first 6 and last 4 digits ever leave the connector. */
  first6: string;
  last4: string;
}

/**
 * A card as the payment path's checks (risk rules, routing rules) see it: never its number.
 * The connector that knows the card (the sandbox's fixed tokens, the card vault) fills it in.
 */
export interface CardSignals extends CardDetails {
  /** The issuing bank's country (ISO 3166-1 alpha-2, from the BIN), when known. */
  country: string | null;
  /** The same card always has the same fingerprint, which cannot be turned back into its number. */
  fingerprint: string;
}

/** Where the payment request came from: `CF-Connecting-IP` and the edge's `request.cf`. */
export interface ClientSignals {
  ip: string | null;
  /** ISO 3166-1 alpha-2 of the address, as the edge located it. */
  country: string | null;
  asn: number | null;
}

/** What is known of a payment before it is authorized: its method, its customer and its caller. */
export interface PaymentSignals {
  method: "card" | "bank_redirect" | "qr";
  card: CardSignals | null;
  /** The customer (`cus_…`) the payment method belongs to, if it is a saved one. */
  customer: string | null;
  client: ClientSignals;
}

export interface Decline {
  reason: DeclineReason;
  message: string;
  retryable: boolean;
}

export type NextAction =
  | { type: "redirect"; url: string; expires_at: string | null }
  | { type: "qr_code"; qr_code: string; expires_at: string };

/** How one authorization attempt at a provider ended (docs/orchestration.md). */
export const ATTEMPT_OUTCOMES = [
  "authorized",
  "requires_action",
  "pending",
  "declined",
  "error",
  "timeout",
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** One provider attempt as the payment shows it: which acquirer, how it ended, how long it took. */
export interface PaymentAttempt {
  provider: string;
  outcome: AttemptOutcome;
  decline_reason: DeclineReason | null;
  latency_ms: number;
  /** Whether this attempt fell back from an earlier one. */
  fallback: boolean;
}

/** The payment resource (docs/payments.md). */
export interface Payment {
  id: string;
  object: "payment";
  amount: number;
  currency: Currency;
  status: PaymentStatus;
  capture: boolean;
  amount_capturable: number;
  amount_captured: number;
  amount_refunded: number;
  payment_method: { type: "card" | "bank_redirect" | "qr"; card: CardDetails | null };
  next_action: NextAction | null;
  failure: { code: "card_declined"; reason: DeclineReason; message: string; retryable: boolean } | null;
  /** The provider holding the authorization (the last one tried, for a payment that failed). */
  provider: string;
  provider_reference: string | null;
  /** The customer (`cus_…`) who paid, if the payment named one. */
  customer: string | null;
  /** Every authorization attempt, in order; more than one when the payment fell back. */
  attempts: PaymentAttempt[];
  metadata: Record<string, string>;
  /** The risk assessment before authorization (docs/risk.md); null on payments made before it. */
  risk: RiskOutcome | null;
  created_at: string;
  updated_at: string;
  livemode: boolean;
}

export interface CreatePaymentInput {
  paymentId: string;
  partnerId: string;
  livemode: boolean;
  feeBps: number;
  amount: number;
  currency: Currency;
  paymentMethodToken: string;
  capture: boolean;
  metadata: Record<string, string>;
  /** The method, customer and caller as known before authorization (risk and routing read them). */
  signals: PaymentSignals;
  now: string;
  /** The risk assessment, persisted with the attempt once made: a recovered create reuses it. */
  risk?: RiskOutcome;
}

/** A refund (docs/payments.md): partial or full, many per payment, never above what was captured. */
export interface Refund {
  id: string;
  object: "refund";
  payment_id: string;
  amount: number;
  currency: Currency;
  status: "pending" | "succeeded" | "failed";
  reason: "requested_by_customer" | "duplicate" | "fraudulent" | null;
  failure_reason: string | null;
  created_at: string;
  livemode: boolean;
}

/** A refund takes the money back from the partner's available balance to card clearing. */
export function refundEntry(refund: Refund, partnerId: string): EntryInput {
  return {
    reference: refund.id,
    kind: "refund",
    currency: refund.currency,
    partnerId,
    description: `refund ${refund.id} of payment ${refund.payment_id}`,
    lines: [
      { owner: partnerId, code: "partner_available", direction: "debit", amount: refund.amount },
      { owner: PLATFORM, code: "card_clearing", direction: "credit", amount: refund.amount },
    ],
  };
}

/** The event a payment's status announces. */
export const eventTypeOf = (status: PaymentStatus): EventType | null =>
  status === "partially_refunded" || status === "refunded" ? null : (`payment.${status}` as EventType);

/**
 * A capture: the card clearing account owes the gross; the partner is credited net of
 * the contract's fee; the fee is revenue.
 */
export function captureEntry(
  payment: Payment,
  partnerId: string,
  feeBps: number,
  amount: number,
): EntryInput {
  const fee = Math.min(amount, basisPoints(amount, feeBps));
  const lines: EntryInput["lines"] = [{ owner: PLATFORM, code: "card_clearing", direction: "debit", amount }];
  if (amount - fee > 0)
    lines.push({ owner: partnerId, code: "partner_available", direction: "credit", amount: amount - fee });
  if (fee > 0) lines.push({ owner: PLATFORM, code: "fee_revenue", direction: "credit", amount: fee });
  return {
    reference: payment.id,
    kind: "capture",
    currency: payment.currency,
    partnerId,
    description: `capture of payment ${payment.id}`,
    lines,
  };
}

/** What can be done to a payment after its creation: the partner's calls, the customer's, and time. */
export type Operation =
  | { op: "confirm"; result: "success" | "failure" | "canceled" }
  | { op: "capture"; amount?: number }
  | { op: "cancel" }
  /** The sandbox's "buttons": the asynchronous outcome of an A2A or QR payment. */
  | { op: "simulate"; outcome: "succeeded" | "failed" }
  /** A QR code or redirect whose time ran out (the object's alarm). */
  | { op: "expire" };
