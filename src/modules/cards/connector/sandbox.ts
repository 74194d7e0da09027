import { toHex } from "../../../platform/lib/ids";
import type { BlockReason, CardCurrency } from "../model";
import { first6, last4 } from "./pan";
import type { BankCard, CardOrder, CardSystem, IssuingState, SubmittedOrder } from "./types";

/** The attach code every sandbox SMS carries. */
export const SANDBOX_SMS_CODE = "123456";

/** A physical card is produced this long after its order (unless the simulate call issues it first). */
export const SANDBOX_PHYSICAL_ISSUE_SECONDS = 300;

/** Card numbers with a fixed answer; every other Luhn-valid number is a card the sandbox bank knows. */
export const SANDBOX_CARD_NUMBERS = {
  /** The bank knows no such card: 1008. */
  unknown: "8600008000001008",
  /** Attached already (through another channel): 1011. */
  alreadyAttached: "8600001000001011",
} as const;

/** The SMS to this phone number cannot be sent: 1006. */
export const SANDBOX_PHONE_SMS_FAILS = "+998900001006";

/** Who the sandbox bank says holds a card found by its number, and until when it is valid. */
export const SANDBOX_FOUND_CARD = { holderName: "SANDBOX CARDHOLDER", expiryMonth: 12, expiryYear: 2030 };

/** The first 6 digits of the cards the sandbox issues, by currency. */
export const SANDBOX_ISSUER_BINS: Record<CardCurrency, string> = {
  UZS: "860049",
  USD: "440393",
  EUR: "527883",
};

/** Issued cards are valid for this many years from the month they were issued. */
const VALID_YEARS = 4;

// The sandbox bank names the cards it finds by a keyed hash of their numbers, as a real
// card system has ids of its own. The key is public: sandbox card numbers are test numbers.
const REFERENCE_KEY = new TextEncoder().encode("portico-sandbox-card-system");

async function hmacHex(data: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", REFERENCE_KEY, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data))));
}

/** The sandbox's id for the order of an application. */
export const sandboxOrderReference = (applicationId: string) =>
  `sbx_order_${applicationId.replace(/-/g, "")}`;

/**
 * The sandbox's card system: a virtual card is issued at once, a physical one
 * `SANDBOX_PHYSICAL_ISSUE_SECONDS` after its order; every Luhn-valid number is a card it
 * knows except `SANDBOX_CARD_NUMBERS.unknown`; SMS to `SANDBOX_PHONE_SMS_FAILS` fail.
 * Stateless and deterministic: answers depend on what is asked and when, nothing else.
 */
export class SandboxCardSystem implements CardSystem {
  readonly name = "sandbox";

  async orderCard(order: CardOrder): Promise<IssuingState> {
    const now = Date.now();
    return this.orderStatus(
      { ...order, reference: sandboxOrderReference(order.applicationId), submittedAt: now },
      now,
    );
  }

  async orderStatus(order: SubmittedOrder, now: number): Promise<IssuingState> {
    const delay = order.type === "virtual" ? 0 : SANDBOX_PHYSICAL_ISSUE_SECONDS * 1000;
    if (now < order.submittedAt + delay) return { status: "in_progress", reference: order.reference };
    return { status: "completed", reference: order.reference, card: await this.issue(order, now) };
  }

  /** The card of an order, issued at `now`: also what the sandbox simulate call asks for. */
  async issue(order: SubmittedOrder, now: number): Promise<BankCard> {
    const digits = (await hmacHex(order.reference)).replace(/\D/g, "");
    const issued = new Date(now);
    return {
      reference: `sbx_card_${order.reference.slice("sbx_order_".length)}`,
      first6: SANDBOX_ISSUER_BINS[order.currency],
      last4: digits.slice(0, 4).padEnd(4, "0"),
      holderName: order.applicant.full_name.toUpperCase(),
      expiryMonth: issued.getUTCMonth() + 1,
      expiryYear: issued.getUTCFullYear() + VALID_YEARS,
    };
  }

  async findCard(cardNumber: string) {
    if (cardNumber === SANDBOX_CARD_NUMBERS.unknown) return undefined;
    return {
      reference: `sbx_card_${(await hmacHex(cardNumber)).slice(0, 32)}`,
      first6: first6(cardNumber),
      last4: last4(cardNumber),
      ...SANDBOX_FOUND_CARD,
      attached: cardNumber === SANDBOX_CARD_NUMBERS.alreadyAttached,
    };
  }

  async sendAttachCode(req: { cardReference: string; phoneNumber: string; code: string }) {
    return req.phoneNumber !== SANDBOX_PHONE_SMS_FAILS;
  }

  async block(_req: { cardReference: string; reason: BlockReason }) {}
}
