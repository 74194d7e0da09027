import type { Destination, PayoutFailureReason, PayoutProvider, Settlement, SubmitRequest } from "./types";

/** How long the sandbox rails take to answer a sent payout, unless a simulate call answers first. */
export const SANDBOX_SETTLE_MS = 5_000;

const DESTINATIONS: Record<string, { destination: Destination; fails?: PayoutFailureReason }> = {
  dest_tok_ok: { destination: { type: "bank_account", bank: "Portico Sandbox Bank", last4: "6789" } },
  dest_tok_fail: {
    destination: { type: "bank_account", bank: "Portico Sandbox Bank", last4: "0002" },
    fails: "account_closed",
  },
};

const MESSAGES: Record<PayoutFailureReason, string> = {
  account_closed: "The destination account is closed; the funds were returned.",
  invalid_account: "The destination account does not exist; the funds were returned.",
  bank_unavailable: "The destination bank could not be reached; the funds were returned.",
};

export const payoutFailureOf = (reason: PayoutFailureReason): Extract<Settlement, { status: "failed" }> => ({
  status: "failed",
  reason,
  message: MESSAGES[reason],
});

/**
 * The sandbox's transfer rails (docs/payments.md): `dest_tok_ok` is paid, `dest_tok_fail` fails,
 * each a few seconds after it was sent. Nothing leaves the sandbox.
 */
export class SandboxPayoutProvider implements PayoutProvider {
  readonly name = "sandbox";

  resolveDestination(token: string): Destination | undefined {
    return DESTINATIONS[token]?.destination;
  }

  async submit(req: SubmitRequest) {
    return { providerReference: `sbx_po_${req.payoutId.replace(/-/g, "")}` };
  }

  async settlement(_ref: string, token: string, sentAt: number, now: number): Promise<Settlement> {
    if (now < sentAt + SANDBOX_SETTLE_MS) return { status: "sent", checkAgainAt: sentAt + SANDBOX_SETTLE_MS };
    const fails = DESTINATIONS[token]?.fails;
    return fails ? payoutFailureOf(fails) : { status: "paid" };
  }
}

/** The destination tokens the sandbox knows, for validation messages and docs. */
export const SANDBOX_DESTINATION_TOKENS = Object.keys(DESTINATIONS);
