import type { ScoringDecision } from "./connector/types";

/** How long an approved offer can be accepted. */
export const LOAN_OFFER_TTL_SECONDS = 86_400;

/**
 * The annuity payment P·r·(1+r)ⁿ / ((1+r)ⁿ − 1) with the monthly rate r = bps / 120 000,
 * computed exactly in integers (BigInt) and rounded up to the minor unit, so the payments
 * always repay the loan. A zero rate splits the principal evenly, rounded up.
 */
export function monthlyPayment(principal: number, annualRateBps: number, termMonths: number): number {
  if (!Number.isSafeInteger(principal) || principal <= 0) throw new RangeError("principal must be positive");
  if (!Number.isSafeInteger(annualRateBps) || annualRateBps < 0) throw new RangeError("rate must be ≥ 0");
  if (!Number.isSafeInteger(termMonths) || termMonths <= 0) throw new RangeError("term must be positive");
  const p = BigInt(principal);
  const n = BigInt(termMonths);
  if (annualRateBps === 0) return Number((p + n - 1n) / n);
  const a = BigInt(annualRateBps);
  const b = 120_000n;
  const growth = (b + a) ** n;
  const num = p * a * growth;
  const den = b * (growth - b ** n);
  return Number((num + den - 1n) / den);
}

export interface Offer {
  amount: number;
  annualRateBps: number;
  termMonths: number;
  monthlyPayment: number;
  /** `monthlyPayment × termMonths`. */
  totalRepayable: number;
  expiresAt: string;
}

/** The offer for an approved scoring: never more than the partner asked for. */
export function offerFrom(
  decision: Extract<ScoringDecision, { decision: "approved" }>,
  requested: number,
  decidedAt: Date,
): Offer {
  const amount = Math.min(decision.approvedAmount, requested);
  const payment = monthlyPayment(amount, decision.annualRateBps, decision.termMonths);
  return {
    amount,
    annualRateBps: decision.annualRateBps,
    termMonths: decision.termMonths,
    monthlyPayment: payment,
    totalRepayable: payment * decision.termMonths,
    expiresAt: new Date(decidedAt.getTime() + LOAN_OFFER_TTL_SECONDS * 1000).toISOString(),
  };
}
