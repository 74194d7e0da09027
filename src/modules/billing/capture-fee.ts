import type { BillingTerms } from "./terms";

/**
 * The one rule for what a capture takes (docs/billing.md and docs/ledger.md, the capture fee):
 * without a rate plan, the contract's `fee_bps` at each capture, as ledger fee revenue; with one,
 * nothing at capture, because the plan's revenue share and fixed fee are invoiced per period (on
 * captured volume net of refunds) and taking both would charge the partner twice.
 */
export function captureFees(
  contract: { feeBps: number; feeFixedMinor: number },
  terms: BillingTerms | undefined,
): { bps: number; fixedMinor: number } {
  if (terms) return { bps: 0, fixedMinor: 0 };
  return { bps: contract.feeBps, fixedMinor: contract.feeFixedMinor };
}
