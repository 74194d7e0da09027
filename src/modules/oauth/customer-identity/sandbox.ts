import { TOTP } from "otpauth";
import { sha256Hex } from "../../../platform/lib/ids";
import { constantTimeTextEqual } from "../../../platform/lib/secret-hash";
import { SANDBOX_CUSTOMERS, type SandboxCustomer } from "./sandbox-customers";
import type { Authentication, Challenge, CustomerIdentityConnector } from "./types";

// Compared by digest: equal lengths, so the comparison tells nothing of the password's length either.
const digestEqual = async (given: string, expected: string) =>
  constantTimeTextEqual(await sha256Hex(given), await sha256Hex(expected));

const DECOY_PASSWORD = "sandbox-decoy-password";

const totpOf = (customer: SandboxCustomer) =>
  customer.totpSecret
    ? new TOTP({ issuer: "Portico sandbox", label: customer.login, secret: customer.totpSecret })
    : undefined;

/**
 * The sandbox's customer identity system: the documented test customers (sandbox-customers.ts),
 * their passwords compared in constant time (an unknown login costs the same comparison), and a
 * TOTP code as the second factor, one 30-second step either way accepted for clock drift.
 */
export class SandboxCustomerIdentity implements CustomerIdentityConnector {
  constructor(
    private readonly customers: readonly SandboxCustomer[] = SANDBOX_CUSTOMERS,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(login: string, password: string): Promise<Authentication> {
    const customer = this.customers.find((c) => c.login === login.trim().toLowerCase());
    const matches = await digestEqual(password, customer?.password ?? DECOY_PASSWORD);
    if (!customer || !matches) return { ok: false, reason: "invalid_credentials" };
    return { ok: true, customer: { customerRef: customer.customerRef, displayName: customer.displayName } };
  }

  async startChallenge(customerRef: string): Promise<Challenge> {
    return { challengeId: `sbx_totp_${customerRef}` };
  }

  async verifyChallenge(customerRef: string, challengeId: string, code: string): Promise<boolean> {
    const customer = this.customers.find((c) => c.customerRef === customerRef);
    const totp = customer && totpOf(customer);
    if (!totp || challengeId !== `sbx_totp_${customerRef}` || !/^\d{6}$/.test(code)) return false;
    return totp.validate({ token: code, timestamp: this.now(), window: 1 }) !== null;
  }
}

/** The current code of a sandbox customer's TOTP secret (the tests' and the docs' authenticator app). */
export function sandboxTotpCode(secret: string, timestamp = Date.now()): string {
  return new TOTP({ secret }).generate({ timestamp });
}
