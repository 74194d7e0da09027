import { randomToken } from "../../../platform/lib/random";
import type { CardBrand } from "../model";
import type { CardInput, CardVault, VaultResult } from "./types";

/** A documented test card: the sandbox outcome it pays with, and its issuing country. */
interface TestCard {
  number: string;
  brand: CardBrand;
  country: string;
  /** The fixed sandbox token (docs/payments.md) whose outcome a payment with this card gets. */
  outcome: string;
}

/** The sandbox vault's test cards (docs/payment-methods.md): every other number is refused. */
export const TEST_CARDS: readonly TestCard[] = [
  { number: "4242424242424242", brand: "visa", country: "US", outcome: "pm_card_visa" },
  { number: "5555555555554444", brand: "mastercard", country: "US", outcome: "pm_card_mastercard" },
  { number: "4000000000003220", brand: "visa", country: "US", outcome: "pm_card_3ds" },
  { number: "4000000000009995", brand: "visa", country: "US", outcome: "pm_card_insufficient_funds" },
  { number: "4000000000000002", brand: "visa", country: "US", outcome: "pm_card_do_not_honor" },
  { number: "4000000000009979", brand: "visa", country: "US", outcome: "pm_card_stolen" },
  { number: "4000000000009987", brand: "visa", country: "US", outcome: "pm_card_limit_exceeded" },
  { number: "4000000000009235", brand: "visa", country: "US", outcome: "pm_card_risk_decline" },
  { number: "4000000000000119", brand: "visa", country: "US", outcome: "pm_card_bank_unavailable" },
  // Issued abroad, approved: for the country in a payment's signals (risk and routing rules).
  { number: "4000000760000002", brand: "visa", country: "BR", outcome: "pm_card_visa" },
  { number: "4000002500000003", brand: "visa", country: "FR", outcome: "pm_card_visa" },
];

const PREFIX = "sbxvault_";

/**
 * The sandbox's card vault: it accepts the documented test numbers and remembers nothing; its
 * reference names the sandbox outcome, so the sandbox payment provider needs no change.
 */
export class SandboxCardVault implements CardVault {
  readonly name = "sandbox";

  async store(card: CardInput): Promise<VaultResult> {
    const index = TEST_CARDS.findIndex((t) => t.number === card.number);
    const test = TEST_CARDS[index];
    if (!test) return { ok: false, error: "not_supported" };
    return {
      ok: true,
      card: {
        reference: `${PREFIX}${index}_${randomToken(12)}`,
        brand: test.brand,
        first6: test.number.slice(0, 6),
        last4: test.number.slice(-4),
        country: test.country,
      },
    };
  }

  providerToken(reference: string): string | undefined {
    const match = /^sbxvault_(\d+)_/.exec(reference);
    return match ? TEST_CARDS[Number(match[1])]?.outcome : undefined;
  }
}
