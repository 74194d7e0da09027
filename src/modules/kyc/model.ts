import { KYC_FIELDS, type KycAnswer, type KycField } from "./connector/types";

export const KYC_CHECKS = ["match", "no_match", "not_checked"] as const;
export type KycCheck = (typeof KYC_CHECKS)[number];

export const KYC_OUTCOMES = ["match", "partial", "no_match"] as const;
export type KycOutcome = (typeof KYC_OUTCOMES)[number];

/**
 * Each field's check from the bank's answer: a field not sent is not_checked; every field
 * sent about an identifier the bank does not know is no_match, so an answer never tells
 * whether an account or phone number exists.
 */
export function checksOf(claimed: readonly KycField[], answer: KycAnswer): Record<KycField, KycCheck> {
  const checks = {} as Record<KycField, KycCheck>;
  for (const field of KYC_FIELDS) {
    if (!claimed.includes(field)) checks[field] = "not_checked";
    else checks[field] = answer.found && answer.checks[field] === "match" ? "match" : "no_match";
  }
  return checks;
}

/** match when every checked field matches, no_match when none does, partial in between. */
export function outcomeOf(checks: Record<KycField, KycCheck>): KycOutcome {
  const checked = Object.values(checks).filter((c) => c !== "not_checked");
  const matched = checked.filter((c) => c === "match").length;
  if (checked.length > 0 && matched === checked.length) return "match";
  return matched === 0 ? "no_match" : "partial";
}
