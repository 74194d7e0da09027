import type { CardDetails } from "../payments/model";

export type CardBrand = CardDetails["brand"];

/** How long a single-use token can be used (POST /v1/payments or an attach) after tokenization. */
export const TOKEN_TTL_MS = 15 * 60 * 1000;

/** The card as every answer shows it: never more than the first 6 and last 4 digits. */
export interface CardView {
  brand: CardBrand;
  first6: string;
  last4: string;
  country: string | null;
  fingerprint: string;
  exp_month: number;
  exp_year: number;
}

/** A single-use token (`pm_…`) from POST /v1/tokens. */
export interface TokenView {
  id: string;
  object: "token";
  card: CardView;
  created_at: string;
  expires_at: string;
  used: boolean;
  livemode: boolean;
}

export interface Customer {
  id: string;
  object: "customer";
  name: string | null;
  email: string | null;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string;
  livemode: boolean;
}

/** A customer's saved, reusable card (`spm_…`), kept with the customer's consent. */
export interface SavedPaymentMethod {
  id: string;
  object: "payment_method";
  type: "card";
  customer: string;
  card: CardView;
  consent: { accepted_at: string; reference: string };
  created_at: string;
  livemode: boolean;
}

/**
 * Whether a number passes the Luhn check digit (the card module has its own in its connector,
 * which another module may not reach).
 */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A card is valid through the last day of its expiry month (UTC). */
export const isExpired = (expMonth: number, expYear: number, now: Date) =>
  expYear < now.getUTCFullYear() || (expYear === now.getUTCFullYear() && expMonth < now.getUTCMonth() + 1);
