import type { Db } from "../../platform/db/client";
import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import type { CardSignals } from "../payments/model";
import { cardVaultFor } from "./connector";
import { consumeToken, findCustomer, findSavedMethod, findToken, type TokenRow } from "./storage";

/** A vault card a payment pays with: what the provider is given, and what the checks see. */
export interface StoredMethod {
  providerToken: string;
  card: CardSignals;
}

const signalsOf = (
  row: Pick<TokenRow, "brand" | "first6" | "last4" | "country" | "fingerprint">,
): CardSignals => ({
  brand: row.brand,
  first6: row.first6,
  last4: row.last4,
  country: row.country,
  fingerprint: row.fingerprint,
});

/** The partner's customer, or 404 exactly as for an unknown one (another partner's too). */
export async function requireCustomer(db: Db, partnerId: string, id: string) {
  const row = await findCustomer(db, partnerId, id);
  if (!row) throw new ApiError("not_found", { resource: `customer ${id}` });
  return row;
}

/**
 * Takes a single-use token (`pm_…`) for `consumer` (a payment's object, or a customer saving
 * it): once, atomically; the same consumer asking again gets it again (a retry after a crash).
 * Undefined for a token that is not the partner's; 185/186 for one used or expired.
 */
export async function takeToken(db: Db, partnerId: string, id: string, consumer: string, now: Date) {
  const taken = await consumeToken(db, partnerId, id, consumer, now.toISOString());
  if (taken) return taken;
  const row = await findToken(db, partnerId, id);
  if (!row) return undefined;
  if (row.consumedBy === null)
    throw new ApiError(
      "payment_method_token_expired",
      { token: id },
      { field: "params.payment_method_token" },
    );
  throw new ApiError("payment_method_token_used", { token: id }, { field: "params.payment_method_token" });
}

/**
 * What a vault token or a customer's saved method (`spm_…`, with its `customer`) pays with;
 * undefined when the partner has no such token or method. A single-use token is consumed by
 * the payment's object (`consumer`).
 */
export async function storedMethodOf(
  deps: { db: Db; config: Config },
  partnerId: string,
  token: string,
  customer: string | null,
  consumer: string,
  now: Date,
): Promise<StoredMethod | undefined> {
  let row: Pick<TokenRow, "vaultRef" | "brand" | "first6" | "last4" | "country" | "fingerprint"> | undefined;
  if (token.startsWith("spm_")) {
    row = customer ? await findSavedMethod(deps.db, partnerId, customer, token) : undefined;
  } else if (token.startsWith("pm_")) {
    row = await takeToken(deps.db, partnerId, token, consumer, now);
  }
  if (!row) return undefined;
  const providerToken = cardVaultFor(deps.config).providerToken(row.vaultRef);
  return providerToken ? { providerToken, card: signalsOf(row) } : undefined;
}
