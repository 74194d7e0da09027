/** One movement an acquirer settled, as its own records have it. */
export interface SettledMovement {
  type: "capture" | "refund";
  paymentId: string;
  refundId: string | null;
  provider: string;
  providerReference: string;
  amount: number;
  currency: string;
}

export type FetchResult = { ok: true; csv: string } | { ok: false; retryable: boolean; reason: string };

/**
 * Where a provider's daily settlement report comes from (docs/reconciliation.md). The scheduled
 * fetch asks each configured source for a day's report as CSV text in the documented format; the
 * import then treats it exactly like an upload. Expected failures are values.
 */
export interface SettlementSource {
  /** The provider whose report this is (the `provider` column). */
  readonly provider: string;
  report(settlementDate: string): Promise<FetchResult>;
}
