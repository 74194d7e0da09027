import type { Currency } from "../../../platform/lib/money";
import type { CardDetails, Decline, NextAction } from "../model";

export interface AuthorizeRequest {
  paymentId: string;
  amount: number;
  currency: Currency;
  paymentMethodToken: string;
  capture: boolean;
  now: number;
  /** Risk asked for 3-D Secure (step_up): a card the provider would approve asks the customer first. */
  forceAuthentication?: boolean;
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
