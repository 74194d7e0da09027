/** Licensable products (docs/authentication.md, scopes). */
export const PRODUCTS = ["accounts", "payments", "payouts", "cards", "lending", "kyc", "fx"] as const;
export type Product = (typeof PRODUCTS)[number];

/**
 * Scopes not tied to a product: every partner's own profile, credentials, webhooks and events, and
 * its request log and usage (`usage:read`, granted to every contract: migration 0030).
 */
export const PLATFORM_SCOPES = [
  "partner:read",
  "partner:write",
  "webhooks:read",
  "webhooks:write",
  "events:read",
  "usage:read",
] as const;

export const productScopes = (product: Product) => [`${product}:read`, `${product}:write`] as const;

export const ALL_SCOPES: readonly string[] = [
  ...PLATFORM_SCOPES,
  ...PRODUCTS.flatMap((p) => productScopes(p)),
];

/** The scopes a contract grants for a set of licensed products. */
export const scopesFor = (products: readonly Product[]) => [
  ...PLATFORM_SCOPES,
  ...products.flatMap((p) => productScopes(p)),
];
