/** What the scoring service is told of a payment: never a card number, only what the checks see. */
export interface ScoreRequest {
  paymentId: string;
  amount: number;
  currency: string;
  method: string;
  card: { brand: string; bin: string; country: string | null; fingerprint: string } | null;
  customer: string | null;
  client: { ip: string | null; country: string | null; asn: number | null };
  metadata: Record<string, string>;
}

/**
 * An external fraud-scoring service: 0 (safe) to 100 (fraud). A failure throws; the caller
 * bounds the wait and decides the partner's fallback.
 */
export interface ScoringConnector {
  score(req: ScoreRequest, signal: AbortSignal): Promise<number>;
}
