import type { Currency } from "../../../platform/lib/money";
import type { CardDetails, Decline, DeclineReason, NextAction } from "../model";

/**
 * What a connector may know of the method before authorization: the payment's signals
 * (`PaymentSignals` in src/modules/payments/model.ts) without the customer and the caller. Never the card number.
 */
export interface MethodFacts {
  method: "card" | "bank_redirect" | "qr";
  card: (CardDetails & { country: string | null }) | null;
}

export interface AuthorizeRequest {
  paymentId: string;
  /**
   * This attempt's idempotency key at the provider, derived from the payment's
   * (`<payment id>:<attempt seq>`): a resend of the same attempt never authorizes twice, and a
   * fallback to another provider is a different attempt with its own key.
   */
  idempotencyKey: string;
  amount: number;
  currency: Currency;
  paymentMethodToken: string;
  capture: boolean;
  /** What is known of the method before authorization (never the card number). */
  signals: MethodFacts;
  now: number;
  /** Risk asked for 3-D Secure (step_up): a card the provider would approve asks the customer first. */
  forceAuthentication?: boolean;
}

export type PaymentMethod = { type: "card"; card: CardDetails } | { type: "bank_redirect" } | { type: "qr" };

/** Why an attempt got no answer from the provider: the rails' trouble, not the card's. */
export type FailureKind = "timeout" | "server_error" | "network" | "rejected";

export type Answered =
  | { outcome: "authorized"; providerReference: string; method: PaymentMethod }
  | { outcome: "requires_action"; providerReference: string; method: PaymentMethod; action: NextAction }
  | { outcome: "pending"; providerReference: string; method: PaymentMethod; action: NextAction }
  | { outcome: "declined"; providerReference: string; method: PaymentMethod; decline: Decline };

export type AuthorizeResult =
  | Answered
  | { outcome: "unknown_method" }
  /** No answer: a timeout, a 5xx, a broken connection, or a request the provider refused (4xx). */
  | { outcome: "failed"; kind: FailureKind; message: string };

/** What the provider knows of an attempt by its idempotency key, asked after a timeout. */
export type Retrieved =
  | { found: true; result: Answered }
  | { found: false }
  /** The provider could not say (it did not answer): the attempt may or may not have authorized. */
  | { found: "unknown" };

export type OperationResult = { ok: true } | { ok: false; decline: Decline };

/**
 * Which failures of a provider may be retried at another provider (docs/orchestration.md):
 * failures with no answer by kind, and the decline reasons the provider uses for "not me" rather
 * than "not this card". Hard declines (insufficient funds, stolen card…) are never listed.
 */
export interface RetryMatrix {
  failures: readonly FailureKind[];
  declines: readonly DeclineReason[];
}

/**
 * An upstream payment processor (card acquiring, A2A, local QR). The sandbox simulators are
 * implementations; the HTTP connector speaks the documented acquirer protocol. Expected failures
 * are values.
 */
export interface PaymentProvider {
  readonly name: string;
  readonly retry: RetryMatrix;
  authorize(req: AuthorizeRequest): Promise<AuthorizeResult>;
  /** The attempt `req.idempotencyKey` as the provider recorded it. */
  retrieve(req: AuthorizeRequest): Promise<Retrieved>;
  /**
   * Voids the attempt by its key, recorded or not, so that a request still on its way cannot
   * authorize after the payment fell back elsewhere.
   */
  cancelAttempt(req: AuthorizeRequest): Promise<OperationResult>;
  /** The 3-D Secure result the customer's bank reported. */
  confirmAuthentication(
    providerReference: string,
    result: "success" | "failure" | "canceled",
  ): Promise<OperationResult>;
  capture(providerReference: string, amount: number): Promise<OperationResult>;
  void(providerReference: string): Promise<OperationResult>;
  refund(providerReference: string, refundId: string, amount: number): Promise<OperationResult>;
}
