import { derivedHmacKey } from "../../../platform/lib/derived-key";
import { b64url, constantTimeTextEqual } from "../../../platform/lib/secret-hash";
import type { CardSignals, DeclineReason, PaymentSignals } from "../model";
import type {
  AuthorizeRequest,
  AuthorizeResult,
  OperationResult,
  PaymentProvider,
  Retrieved,
  RetryMatrix,
} from "./types";

/** How long a sandbox QR code stays payable. */
export const QR_TTL_MS = 15 * 60 * 1000;
/** How long a sandbox redirect (3-D Secure, bank) waits for the customer. */
export const REDIRECT_TTL_MS = 30 * 60 * 1000;

/** A fixed sandbox card: its fingerprint is its token's, so each test card is one instrument. */
const card = (token: string, brand: CardSignals["brand"], first6: string, last4: string): CardSignals => ({
  brand,
  first6,
  last4,
  country: "US",
  fingerprint: `fp_${token.slice(3)}`,
});

const VISA = card("pm_card_visa", "visa", "424242", "4242");
const MASTERCARD = card("pm_card_mastercard", "mastercard", "555555", "4444");
const THREE_DS = card("pm_card_3ds", "visa", "400000", "3220");

const DECLINES: Record<string, { reason: DeclineReason; last4: string }> = {
  pm_card_insufficient_funds: { reason: "insufficient_funds", last4: "9995" },
  pm_card_do_not_honor: { reason: "do_not_honor", last4: "0002" },
  pm_card_stolen: { reason: "stolen_card", last4: "9979" },
  pm_card_limit_exceeded: { reason: "limit_exceeded", last4: "9987" },
  pm_card_risk_decline: { reason: "risk_decline", last4: "9235" },
  pm_card_bank_unavailable: { reason: "bank_unavailable", last4: "0119" },
};

const MESSAGES: Record<DeclineReason, string> = {
  insufficient_funds: "The card has insufficient funds.",
  do_not_honor: "The card issuer declined the payment.",
  stolen_card: "The card was reported stolen.",
  limit_exceeded: "The card's limit was exceeded.",
  risk_decline: "The payment was declined by risk checks.",
  bank_unavailable: "The card issuer could not be reached. Retrying later may succeed.",
};

/** The sandbox's customer pages a redirect leads to: the 3-D Secure challenge and the bank's approval. */
export const REDIRECT_KINDS = ["3ds", "bank"] as const;
export type RedirectKind = (typeof REDIRECT_KINDS)[number];

const signRedirect = async (dataKey: string, kind: RedirectKind, paymentId: string) => {
  const key = await derivedHmacKey(dataKey, "sandbox-redirect");
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${kind}:${paymentId}`));
  return b64url(new Uint8Array(mac));
};

/**
 * Whether `sig` is the redirect URL's signature of this payment and page: the customer's
 * browser carries no token, so the unguessable signature is what lets it in.
 */
export async function isRedirectSignature(
  dataKey: string,
  kind: RedirectKind,
  paymentId: string,
  sig: string,
): Promise<boolean> {
  return constantTimeTextEqual(sig, await signRedirect(dataKey, kind, paymentId));
}

const declinedCard = (token: string, last4: string) => card(token, "visa", "400000", last4);

/** Only the brand and the first 6 / last 4 digits go on the payment. */
const details = ({ brand, first6, last4 }: CardSignals) => ({ brand, first6, last4 });

/**
 * What a fixed sandbox token stands for, before any provider sees it (the checks' signals);
 * `undefined` for a token the sandbox does not know.
 */
export function sandboxMethodOf(token: string): Pick<PaymentSignals, "method" | "card"> | undefined {
  if (token === "pm_card_visa") return { method: "card", card: VISA };
  if (token === "pm_card_mastercard") return { method: "card", card: MASTERCARD };
  if (token === "pm_card_3ds") return { method: "card", card: THREE_DS };
  const decline = DECLINES[token];
  if (decline) return { method: "card", card: declinedCard(token, decline.last4) };
  if (token === "pm_bank_redirect") return { method: "bank_redirect", card: null };
  if (token === "pm_qr") return { method: "qr", card: null };
  return undefined;
}

export const declineOf = (reason: DeclineReason) => ({
  reason,
  message: MESSAGES[reason],
  retryable: reason === "bank_unavailable",
});

/**
 * The sandbox's processor: deterministic outcomes by `payment_method_token`, the values
 * of docs/payments.md. It never moves money and never reaches a real bank.
 */
export class SandboxPaymentProvider implements PaymentProvider {
  readonly name: string = "sandbox";
  /** An unreachable issuer may answer through another acquirer; every other decline is the card's. */
  readonly retry: RetryMatrix = {
    failures: ["timeout", "server_error", "network"],
    declines: ["bank_unavailable"],
  };

  /**
   * `redirectKey`, the platform's data key, signs the redirect URLs (`?sig=`); without it
   * they carry no signature and the sandbox's customer pages refuse them.
   */
  constructor(
    private readonly baseUrl: string,
    private readonly redirectKey?: string,
  ) {}

  async authorize(req: AuthorizeRequest): Promise<AuthorizeResult> {
    const providerReference = `sbx_${req.paymentId.replace(/-/g, "")}`;
    const token = req.paymentMethodToken;
    if ((token === "pm_card_visa" || token === "pm_card_mastercard") && !req.forceAuthentication) {
      const card = token === "pm_card_visa" ? VISA : MASTERCARD;
      return { outcome: "authorized", providerReference, method: { type: "card", card: details(card) } };
    }
    if (token === "pm_card_3ds" || token === "pm_card_visa" || token === "pm_card_mastercard") {
      const card = token === "pm_card_visa" ? VISA : token === "pm_card_mastercard" ? MASTERCARD : THREE_DS;
      return {
        outcome: "requires_action",
        providerReference,
        method: { type: "card", card: details(card) },
        action: await this.redirect("3ds", req.paymentId, req.now),
      };
    }
    const decline = DECLINES[token];
    if (decline) {
      return {
        outcome: "declined",
        providerReference,
        method: { type: "card", card: details(declinedCard(token, decline.last4)) },
        decline: declineOf(decline.reason),
      };
    }
    if (token === "pm_bank_redirect") {
      return {
        outcome: "pending",
        providerReference,
        method: { type: "bank_redirect" },
        action: await this.redirect("bank", req.paymentId, req.now),
      };
    }
    if (token === "pm_qr") {
      return {
        outcome: "pending",
        providerReference,
        method: { type: "qr" },
        action: {
          type: "qr_code",
          qr_code: `portico-sandbox://pay/${req.paymentId}?amount=${req.amount}&currency=${req.currency}`,
          expires_at: new Date(req.now + QR_TTL_MS).toISOString(),
        },
      };
    }
    return { outcome: "unknown_method" };
  }

  /** Its answers are a function of the request alone: retrieving an attempt is answering it again. */
  async retrieve(req: AuthorizeRequest): Promise<Retrieved> {
    const result = await this.authorize(req);
    if (result.outcome === "unknown_method" || result.outcome === "failed") return { found: false };
    return { found: true, result };
  }

  /** It keeps no attempts, so nothing can arrive late. */
  async cancelAttempt(): Promise<OperationResult> {
    return { ok: true };
  }

  private async redirect(kind: RedirectKind, paymentId: string, now: number) {
    const expires_at = new Date(now + REDIRECT_TTL_MS).toISOString();
    const path = `/sandbox/${kind}/${paymentId}`;
    const query = this.redirectKey ? `?sig=${await signRedirect(this.redirectKey, kind, paymentId)}` : "";
    return { type: "redirect" as const, url: `${this.baseUrl}${path}${query}`, expires_at };
  }

  async confirmAuthentication(
    _ref: string,
    result: "success" | "failure" | "canceled",
  ): Promise<OperationResult> {
    if (result === "success") return { ok: true };
    return { ok: false, decline: declineOf(result === "failure" ? "do_not_honor" : "risk_decline") };
  }

  async capture(): Promise<OperationResult> {
    return { ok: true };
  }

  async void(): Promise<OperationResult> {
    return { ok: true };
  }

  async refund(): Promise<OperationResult> {
    return { ok: true };
  }
}

/** The payment_method_token values the sandbox knows, for validation messages and docs. */
export const SANDBOX_PAYMENT_TOKENS = [
  "pm_card_visa",
  "pm_card_mastercard",
  "pm_card_3ds",
  ...Object.keys(DECLINES),
  "pm_bank_redirect",
  "pm_qr",
];
