import type { CardBrand } from "../model";

/** A card as the browser sent it: handed to the vault and never kept anywhere else. */
export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/** What the vault answers for a card it keeps: its reference and what may be shown of it. */
export interface VaultedCard {
  /** The vault's own id for the card: what a payment later names it by. */
  reference: string;
  brand: CardBrand;
  first6: string;
  last4: string;
  /** The issuing bank's country (ISO 3166-1 alpha-2), from the BIN. */
  country: string | null;
}

export type VaultResult = { ok: true; card: VaultedCard } | { ok: false; error: "not_supported" };

/**
 * The bank's card vault: the only place a card number goes. Portico keeps the reference, and
 * hands the payment provider the token the vault issues for a reference, never the number.
 */
export interface CardVault {
  readonly name: string;
  store(card: CardInput): Promise<VaultResult>;
  /** What the payment provider is given for a stored card; undefined for a reference it does not know. */
  providerToken(reference: string): string | undefined;
}
