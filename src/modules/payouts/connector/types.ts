import type { Currency } from "../../../platform/lib/money";

/** Why the rails returned a payout. */
export const PAYOUT_FAILURE_REASONS = ["account_closed", "invalid_account", "bank_unavailable"] as const;
export type PayoutFailureReason = (typeof PAYOUT_FAILURE_REASONS)[number];

/** Where a payout goes, as the provider resolved its token: never the full account number. */
export interface Destination {
  type: "bank_account";
  bank: string;
  last4: string;
}

export interface SubmitRequest {
  /** Portico's payout id: the provider's idempotency key for the transfer. */
  payoutId: string;
  amount: number;
  currency: Currency;
  destinationToken: string;
}

export type Settlement =
  /** Not answered yet: ask again at `checkAgainAt` (ms). */
  | { status: "sent"; checkAgainAt: number }
  | { status: "paid" }
  | { status: "failed"; reason: PayoutFailureReason; message: string };

/** The bank's outgoing transfer rails, behind one interface (docs/products.md, the bank's systems). */
export interface PayoutProvider {
  readonly name: string;
  /** The destination a token stands for, or undefined when the token is unknown. */
  resolveDestination(token: string): Destination | undefined;
  /** Hands the payout to the rails (`queued → sent`); repeating it with the same payout id is harmless. */
  submit(req: SubmitRequest): Promise<{ providerReference: string }>;
  /** What the rails say of a sent payout; `sent` while they have not answered yet. */
  settlement(
    providerReference: string,
    destinationToken: string,
    sentAt: number,
    now: number,
  ): Promise<Settlement>;
}
