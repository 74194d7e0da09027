/** The personal fields a verification may check, as the partner claims them. */
export const KYC_FIELDS = ["full_name", "birth_date", "document_number"] as const;
export type KycField = (typeof KYC_FIELDS)[number];

export type KycIdentifier = { type: "account_number"; value: string } | { type: "phone"; value: string };

export interface KycClaim {
  identifier: KycIdentifier;
  /** Only the fields to check; at least one. */
  claimed: Partial<Record<KycField, string>>;
}

/**
 * The bank's answer: whether it knows the identifier, and for each claimed field whether
 * it matches its records. The records themselves never cross this interface.
 */
export interface KycAnswer {
  found: boolean;
  checks: Partial<Record<KycField, "match" | "no_match">>;
}

/** The bank's customer records, asked "does this match?" (docs/products.md, KYC). */
export interface KycConnector {
  verify(claim: KycClaim): Promise<KycAnswer>;
}
