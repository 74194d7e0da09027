import { ApiError } from "../../../platform/errors";
import { fieldMatches } from "./matching";
import type { KycAnswer, KycClaim, KycConnector, KycField } from "./types";

/** The sandbox's one known account holder (the same customer as the open banking sandbox's). */
export const SANDBOX_KYC_HOLDER = {
  full_name: "Aziz Karimov",
  birth_date: "1990-05-17",
  document_number: "AA1234567",
} as const satisfies Record<KycField, string>;

/** Account numbers with a documented behaviour; any other one is unknown (every check no_match). */
export const SANDBOX_KYC_ACCOUNTS = {
  /** Held by SANDBOX_KYC_HOLDER. */
  holder: "20208000900100000001",
  /** No such account: every checked field is no_match. */
  unknown: "20208000900100000404",
  /** The bank's system answers nothing: 1004. */
  empty: "20208000900100001004",
  /** The bank's system fails: 1005. */
  failing: "20208000900100001005",
} as const;

/** The same behaviours by phone number. */
export const SANDBOX_KYC_PHONES = {
  holder: "+998901234567",
  unknown: "+998900000404",
  empty: "+998900001004",
  failing: "+998900001005",
} as const;

type Behaviour = "holder" | "unknown" | "empty" | "failing";

function behaviourOf(claim: KycClaim): Behaviour {
  const table: Record<string, string> =
    claim.identifier.type === "account_number" ? SANDBOX_KYC_ACCOUNTS : SANDBOX_KYC_PHONES;
  const entry = Object.entries(table).find(([, value]) => value === claim.identifier.value);
  return (entry?.[0] as Behaviour | undefined) ?? "unknown";
}

/**
 * The sandbox's customer records: SANDBOX_KYC_HOLDER behind the `holder` account number
 * and phone; other documented values answer empty (1004) or fail (1005).
 */
export class SandboxKycConnector implements KycConnector {
  async verify(claim: KycClaim): Promise<KycAnswer> {
    const behaviour = behaviourOf(claim);
    if (behaviour === "empty") throw new ApiError("upstream_empty");
    if (behaviour === "failing")
      throw new ApiError("upstream_failed", { status: 500, msg: "sandbox failure" }, { retryable: true });
    const found = behaviour === "holder";
    const checks: KycAnswer["checks"] = {};
    for (const [field, value] of Object.entries(claim.claimed) as [KycField, string][]) {
      checks[field] = found && fieldMatches(field, value, SANDBOX_KYC_HOLDER[field]) ? "match" : "no_match";
    }
    return { found, checks };
  }
}
