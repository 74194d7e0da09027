import type { Db } from "../../../platform/db/client";
import { declineOf, SandboxPaymentProvider } from "./sandbox";
import { findAttempt, markByReference, recordAttempt } from "./sandbox-b-records";
import type {
  Answered,
  AuthorizeRequest,
  AuthorizeResult,
  OperationResult,
  PaymentMethod,
  PaymentProvider,
  Retrieved,
  RetryMatrix,
} from "./types";

/**
 * The second sandbox acquirer's trigger amounts: the last four digits of the amount in minor
 * units (docs/orchestration.md, sandbox values). Any other amount behaves like `sandbox`.
 */
export const SANDBOX_B_TRIGGERS = {
  /** Answers 503: nothing recorded. */
  server_error: 9500,
  /** Declines with `bank_unavailable`. */
  bank_unavailable: 9501,
  /** Authorizes, then its answer never arrives: the connector reports a timeout. */
  timeout_after_authorize: 9502,
  /** Times out before the attempt reached it: nothing recorded. */
  timeout_before_authorize: 9503,
  /** Times out, and cannot say afterwards whether it authorized (its retrieve fails too). */
  timeout_unknown: 9504,
} as const;

/** The issuer BINs this acquirer does not serve: it declines them with `do_not_honor`. */
export const SANDBOX_B_REFUSED_BINS = { from: "555500", to: "555599" } as const;

const trigger = (amount: number) => amount % 10_000;

/**
 * `sandbox_b`, a second simulated acquirer with its own behaviour: references `sbb_…`, its own
 * books of attempts by idempotency key (a resend answers the first answer; a voided key never
 * authorizes), a BIN range it refuses, the trigger amounts above, and a retry matrix that lets
 * its `do_not_honor` (its "not my issuer") be retried elsewhere.
 */
export class SandboxBPaymentProvider implements PaymentProvider {
  readonly name = "sandbox_b";
  readonly retry: RetryMatrix = {
    failures: ["timeout", "server_error", "network"],
    declines: ["bank_unavailable", "do_not_honor"],
  };
  private readonly simulator: SandboxPaymentProvider;

  constructor(
    private readonly db: Db,
    baseUrl: string,
    redirectKey?: string,
  ) {
    this.simulator = new SandboxPaymentProvider(baseUrl, redirectKey);
  }

  async authorize(req: AuthorizeRequest): Promise<AuthorizeResult> {
    const known = await findAttempt(this.db, req.idempotencyKey);
    if (known) return known.answer ?? this.voided(req);
    const t = trigger(req.amount);
    if (t === SANDBOX_B_TRIGGERS.server_error) return failed("server_error", "503 from the acquirer");
    if (t === SANDBOX_B_TRIGGERS.timeout_before_authorize || t === SANDBOX_B_TRIGGERS.timeout_unknown)
      return failed("timeout", "no answer in time");
    const answer = await this.decide(req);
    if (answer.outcome === "unknown_method") return answer;
    const recorded = await recordAttempt(this.db, {
      idempotencyKey: req.idempotencyKey,
      paymentId: req.paymentId,
      status: answer.outcome,
      reference: answer.providerReference,
      answer,
      amount: req.amount,
      currency: req.currency,
      captured: answer.outcome === "authorized" && req.capture ? req.amount : 0,
      createdAt: new Date(req.now).toISOString(),
    });
    if (t === SANDBOX_B_TRIGGERS.timeout_after_authorize) return failed("timeout", "no answer in time");
    // A void of this key that arrived first wins: the first record is the attempt's.
    return recorded?.answer ?? this.voided(req);
  }

  async retrieve(req: AuthorizeRequest): Promise<Retrieved> {
    if (trigger(req.amount) === SANDBOX_B_TRIGGERS.timeout_unknown) return { found: "unknown" };
    const known = await findAttempt(this.db, req.idempotencyKey);
    return known?.answer ? { found: true, result: known.answer } : { found: false };
  }

  async cancelAttempt(req: AuthorizeRequest): Promise<OperationResult> {
    const recorded = await recordAttempt(this.db, {
      idempotencyKey: req.idempotencyKey,
      paymentId: req.paymentId,
      status: "voided",
      reference: referenceOf(req),
      answer: null,
      amount: req.amount,
      currency: req.currency,
      createdAt: new Date(req.now).toISOString(),
    });
    // An attempt that did arrive meanwhile is voided too: after this call the key never holds money.
    if (recorded && recorded.status !== "voided")
      await markByReference(this.db, recorded.reference, { status: "voided" });
    return { ok: true };
  }

  confirmAuthentication(reference: string, result: "success" | "failure" | "canceled") {
    return this.simulator.confirmAuthentication(reference, result);
  }

  async capture(reference: string, amount: number): Promise<OperationResult> {
    await markByReference(this.db, reference, { status: "captured", captured: amount });
    return { ok: true };
  }

  async void(reference: string): Promise<OperationResult> {
    await markByReference(this.db, reference, { status: "voided" });
    return { ok: true };
  }

  async refund(reference: string, _refundId: string, amount: number): Promise<OperationResult> {
    await markByReference(this.db, reference, { refunded: amount });
    return { ok: true };
  }

  /** The sandbox's answers by token (a card it does not know by token but by its signals is approved), under its own reference. */
  private async decide(req: AuthorizeRequest): Promise<Answered | { outcome: "unknown_method" }> {
    const providerReference = referenceOf(req);
    const card = req.signals.card;
    const method: PaymentMethod | undefined = card
      ? { type: "card", card: { brand: card.brand, first6: card.first6, last4: card.last4 } }
      : undefined;
    if (
      method &&
      card &&
      card.first6 >= SANDBOX_B_REFUSED_BINS.from &&
      card.first6 <= SANDBOX_B_REFUSED_BINS.to
    )
      return { outcome: "declined", providerReference, method, decline: declineOf("do_not_honor") };
    if (trigger(req.amount) === SANDBOX_B_TRIGGERS.bank_unavailable && method)
      return { outcome: "declined", providerReference, method, decline: declineOf("bank_unavailable") };
    const simulated = await this.simulator.authorize(req);
    if (simulated.outcome !== "unknown_method" && simulated.outcome !== "failed")
      return { ...simulated, providerReference };
    if (method) return { outcome: "authorized", providerReference, method };
    return { outcome: "unknown_method" };
  }

  private voided(req: AuthorizeRequest): Answered {
    const card = req.signals.card;
    const method: PaymentMethod = card
      ? { type: "card", card: { brand: card.brand, first6: card.first6, last4: card.last4 } }
      : req.signals.method === "bank_redirect"
        ? { type: "bank_redirect" }
        : { type: "qr" };
    return {
      outcome: "declined",
      providerReference: referenceOf(req),
      method,
      decline: declineOf("do_not_honor"),
    };
  }
}

const referenceOf = (req: AuthorizeRequest) => `sbb_${req.idempotencyKey.replace(/[-:]/g, "")}`;

function failed(kind: "timeout" | "server_error" | "network" | "rejected", message: string) {
  return { outcome: "failed" as const, kind, message };
}
