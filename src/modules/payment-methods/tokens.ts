import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import { derivedHmacKey } from "../../platform/lib/derived-key";
import { randomToken } from "../../platform/lib/random";
import { b64url } from "../../platform/lib/secret-hash";
import type { CardInput, CardVault } from "./connector/types";
import { type CardView, isExpired, luhnValid, TOKEN_TTL_MS, type TokenView } from "./model";
import { insertToken, type TokenRow } from "./storage";

export interface TokenDeps {
  db: Db;
  config: Config;
  vault: CardVault;
}

/** The card as answers show it, from a token's or a saved method's row. */
export const cardViewOf = (
  row: Pick<TokenRow, "brand" | "first6" | "last4" | "country" | "fingerprint" | "expMonth" | "expYear">,
): CardView => ({
  brand: row.brand,
  first6: row.first6,
  last4: row.last4,
  country: row.country,
  fingerprint: row.fingerprint,
  exp_month: row.expMonth,
  exp_year: row.expYear,
});

export const tokenView = (row: TokenRow, livemode: boolean): TokenView => ({
  id: row.id,
  object: "token",
  card: cardViewOf(row),
  created_at: row.createdAt,
  expires_at: row.expiresAt,
  used: row.consumedBy !== null,
  livemode,
});

/**
 * The card's fingerprint: an HMAC of its number under a key derived for this purpose and
 * environment, so the same card has the same fingerprint in one environment and the number
 * cannot be found from it without the platform's data key.
 */
async function fingerprintOf(dataKey: string, environment: string, number: string) {
  const key = await derivedHmacKey(dataKey, `card-fingerprint:${environment}`);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(number));
  return `fp_${b64url(new Uint8Array(mac)).slice(0, 32)}`;
}

const refuse = (
  reason: "card_number_invalid" | "card_expired" | "card_not_supported",
  field: string,
): never => {
  throw new ApiError(reason, {}, { field });
};

/**
 * Checks the card (length and check digit, expiry), hands it to the vault and answers a
 * single-use token. The number and CVC go to the vault only: nothing here keeps, logs or
 * answers them, and no refusal repeats them.
 */
export async function tokenizeCard(
  deps: TokenDeps,
  partner: { id: string; environment: "sandbox" | "production" },
  card: CardInput,
  now: Date,
): Promise<TokenView> {
  const number = card.number.replace(/[ -]/g, "");
  if (!/^\d{12,19}$/.test(number) || !luhnValid(number)) refuse("card_number_invalid", "params.card.number");
  if (isExpired(card.expMonth, card.expYear, now)) refuse("card_expired", "params.card.exp_year");
  const dataKey = deps.config.WEBHOOK_SECRETS_KEY;
  if (!dataKey) throw new ApiError("service_unavailable", {}, { retryable: true });
  const stored = await deps.vault.store({ ...card, number });
  if (!stored.ok) return refuse("card_not_supported", "params.card.number");
  const row: TokenRow = {
    id: `pm_${randomToken(18)}`,
    partnerId: partner.id,
    vaultRef: stored.card.reference,
    brand: stored.card.brand,
    first6: stored.card.first6,
    last4: stored.card.last4,
    country: stored.card.country,
    fingerprint: await fingerprintOf(dataKey, deps.config.ENVIRONMENT, number),
    expMonth: card.expMonth,
    expYear: card.expYear,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + TOKEN_TTL_MS).toISOString(),
    consumedBy: null,
    consumedAt: null,
  };
  await insertToken(deps.db, row);
  return tokenView(row, partner.environment === "production");
}
