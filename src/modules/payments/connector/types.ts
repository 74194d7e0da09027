import type { Currency } from "../../../platform/lib/money";

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

export interface Decline {
  reason: DeclineReason;
  message: string;
  retryable: boolean;
}

export type NextAction =
  | { type: "redirect"; url: string; expires_at: string | null }
  | { type: "qr_code"; qr_code: string; expires_at: string };

export interface AuthorizeRequest {
  paymentId: string;
  amount: number;
  currency: Currency;
  paymentMethodToken: string;
  capture: boolean;
  now: number;
}

export type PaymentMethod = { type: "card"; card: CardDetails } | { type: "bank_redirect" } | { type: "qr" };

export type AuthorizeResult =
  | { outcome: "authorized"; providerReference: string; method: PaymentMethod }
  | { outcome: "requires_action"; providerReference: string; method: PaymentMethod; action: NextAction }
  | { outcome: "pending"; providerReference: string; method: PaymentMethod; action: NextAction }
  | { outcome: "declined"; providerReference: string; method: PaymentMethod; decline: Decline }
  | { outcome: "unknown_method" };

export type OperationResult = { ok: true } | { ok: false; decline: Decline };

/**
 * An upstream payment processor (card acquiring, A2A, local QR). The sandbox simulator is
 * one implementation; production acquirers are others. Expected failures are values.
 */
export interface PaymentProvider {
  readonly name: string;
  authorize(req: AuthorizeRequest): Promise<AuthorizeResult>;
  /** The 3-D Secure result the customer's bank reported. */
  confirmAuthentication(
    providerReference: string,
    result: "success" | "failure" | "canceled",
  ): Promise<OperationResult>;
  capture(providerReference: string, amount: number): Promise<OperationResult>;
  void(providerReference: string): Promise<OperationResult>;
  refund(providerReference: string, refundId: string, amount: number): Promise<OperationResult>;
}
