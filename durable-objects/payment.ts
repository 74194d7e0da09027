import { providerNamed } from "../src/modules/payments/connector";
import {
  type CreatePaymentInput,
  captureEntry,
  eventTypeOf,
  type Operation,
  type Payment,
  type Refund,
  refundEntry,
} from "../src/modules/payments/model";
import {
  attemptRows,
  authorizeRouted,
  routedDeps,
  routedPayment,
} from "../src/modules/payments/orchestration";
import { isAllowed, type PaymentStatus } from "../src/modules/payments/state";
import {
  insertPaymentAttempts,
  insertRefundIndex,
  upsertPaymentIndex,
} from "../src/modules/payments/storage";
import { refundOutcome, reviewTransition, transition } from "../src/modules/payments/transitions";
import { assessPayment } from "../src/modules/risk/assess";
import type { RiskOutcome } from "../src/modules/risk/model";
import {
  authorizeTerms,
  blockedPayment,
  indexReview,
  reviewOf,
  withRisk,
} from "../src/modules/risk/payment-path";
import type { Db } from "../src/platform/db/client";
import type { ObjectIndexRow } from "../src/platform/db/object-index";
import { loadConfig } from "../src/platform/env";
import { MoneyObject } from "./money-object";
import { eventOf, type OutboxItem } from "./outbox";

export type CreateOutcome = { ok: true; payment: Payment } | { ok: false; error: "unknown_method" };

export type OperateOutcome =
  | { ok: true; payment: Payment }
  | { ok: false; error: "not_found" }
  | { ok: false; error: "invalid_state_transition"; status: PaymentStatus }
  | { ok: false; error: "amount_exceeds"; limit: number }
  | { ok: false; error: "under_review"; reviewId: string };

export type ReviewOutcome =
  | { ok: true; payment: Payment }
  | { ok: false; error: "not_found" }
  | { ok: false; error: "review_closed"; status: string };

export type RefundOutcome = { ok: true; refund: Refund } | Exclude<OperateOutcome, { ok: true }>;

export interface RefundRequest {
  refundId: string;
  /** The request's Idempotency-Key: a retry of a request that already refunded answers that refund. */
  requestKey: string;
  amount?: number;
  reason: Refund["reason"];
}

/** Who the payment belongs to and what it costs them, fixed at creation. */
interface Meta {
  partnerId: string;
  feeBps: number;
  objectName: string;
}

/**
 * One object per payment, named from the creating request's idempotency scope, so
 * concurrent duplicates meet here. It is the truth for the payment's state. Ledger
 * postings and events leave through an outbox written in the same storage transaction
 * as the state change, drained by an alarm until D1 and the queue have them.
 */
export class PaymentObject extends MoneyObject<Payment, CreatePaymentInput, CreateOutcome> {
  protected readonly stateKey = "payment";

  protected existing(payment: Payment): CreateOutcome {
    return { ok: true, payment };
  }

  protected upsertIndex(db: Db, row: ObjectIndexRow) {
    return upsertPaymentIndex(db, row);
  }

  // The provider calls yield the input gate: concurrent creates share this one attempt.
  protected async attempt(input: CreatePaymentInput, objectName: string): Promise<CreateOutcome> {
    // Persisted before any provider is called, and each provider attempt is journalled before it
    // is sent: a retry after a crash reuses the same payment id and settles the attempt that was in
    // flight by its own key (docs/orchestration.md). If this instance dies before the commit, the
    // alarm finishes the create (nobody may retry).
    const attempt = await this.beginCreate(input, objectName);
    // Risk (docs/risk.md): assessed once, kept with the attempt; a block never reaches a provider.
    const risk = await this.assessOnce(attempt);
    const meta: Meta = { partnerId: attempt.partnerId, feeBps: attempt.feeBps, objectName };
    if (risk.decision === "block") return this.commitCreate(blockedPayment(attempt, risk), meta, []);
    const terms = authorizeTerms(attempt, risk);
    const authorized = { ...attempt, capture: terms.capture };
    const config = loadConfig(this.env);
    const routed = await authorizeRouted(
      routedDeps(config, this.db, this.env.PROVIDER_HEALTH, this.kv, authorized),
      authorized,
      { forceAuthentication: terms.forceAuthentication },
    );
    if (routed.outcome === "unknown_method") {
      this.abandonCreate();
      return { ok: false, error: "unknown_method" };
    }

    const payment = withRisk(routedPayment(authorized, routed), risk);
    return this.commitCreate(payment, meta, attemptRows(authorized, routed.attempts));
  }

  private async assessOnce(attempt: CreatePaymentInput): Promise<RiskOutcome> {
    if (attempt.risk) return attempt.risk;
    const risk = await assessPayment(this.env, attempt);
    this.kv.put("creating", { ...attempt, risk });
    return risk;
  }

  private async commitCreate(
    payment: Payment,
    meta: Meta,
    attempts: ReturnType<typeof attemptRows>,
  ): Promise<CreateOutcome> {
    await this.commit(
      payment,
      meta,
      [
        ...this.statusItems(payment, meta, payment.status === "captured" ? payment.amount : 0),
        ...this.reviewItems(payment, meta, "review.opened"),
      ],
      () => {
        this.kv.put("meta", meta);
        this.kv.put("attempt_rows", attempts);
        this.kv.delete("creating");
      },
    );
    return { ok: true, payment };
  }

  /**
   * The D1 projection, and with it the payment's attempts (`payment_attempts`) and the review
   * queue's row of a held payment, each written idempotently.
   */
  protected override async index(state: Payment, objectName: string, partnerId: string) {
    await super.index(state, objectName, partnerId);
    await insertPaymentAttempts(
      this.db,
      this.kv.get<Parameters<typeof insertPaymentAttempts>[1]>("attempt_rows") ?? [],
    );
    await indexReview(this.db, state, objectName, partnerId);
  }

  /** The provider that holds the payment's authorization: every later operation goes to it. */
  private providerOf(payment: Payment) {
    return providerNamed(loadConfig(this.env), this.db, payment.provider);
  }

  /** 3-D Secure result, capture (in full or in part) and cancel; illegal transitions change nothing. */
  operate(operation: Operation, requestKey?: string): Promise<OperateOutcome> {
    return this.serial.run(() => this.apply(operation, requestKey));
  }

  async getRefund(refundId: string): Promise<Refund | undefined> {
    return this.kv.get<Refund>(`refund:${refundId}`);
  }

  /** A partial or full refund of captured money; many per payment, never above what was captured. */
  refund(request: RefundRequest): Promise<RefundOutcome> {
    return this.serial.run(async () => {
      const payment = this.state();
      const meta = this.kv.get<Meta>("meta");
      if (!payment || !meta) return { ok: false, error: "not_found" };
      const made = this.kv.get<string>(`refund_request:${request.requestKey}`);
      const done = this.kv.get<Refund>(`refund:${made ?? request.refundId}`);
      if (done) {
        // The attempt that made it may have died before indexing it.
        await this.indexRefund(done, meta);
        return { ok: true, refund: done };
      }
      if (!isAllowed(payment.status, "refund")) {
        return { ok: false, error: "invalid_state_transition", status: payment.status };
      }
      const refundable = payment.amount_captured - payment.amount_refunded;
      const amount = request.amount ?? refundable;
      if (amount > refundable) return { ok: false, error: "amount_exceeds", limit: refundable };

      const provider = this.providerOf(payment);
      const result = await provider.refund(
        payment.provider_reference ?? payment.id,
        request.refundId,
        amount,
      );
      const { refund, next } = refundOutcome(
        payment,
        { ...request, amount },
        result,
        new Date().toISOString(),
      );
      const items: OutboxItem[] = [
        ...(result.ok ? [{ kind: "ledger" as const, entry: refundEntry(refund, meta.partnerId) }] : []),
        eventOf(result.ok ? "refund.succeeded" : "refund.failed", meta.partnerId, refund),
      ];
      await this.commit(next, meta, items, () => {
        this.kv.put(`refund:${refund.id}`, refund);
        this.kv.put(`refund_request:${request.requestKey}`, refund.id);
      });
      await this.indexRefund(refund, meta);
      return { ok: true, refund };
    });
  }

  private async indexRefund(refund: Refund, meta: Meta) {
    await insertRefundIndex(this.db, {
      id: refund.id,
      partnerId: meta.partnerId,
      paymentId: refund.payment_id,
      objectName: meta.objectName,
      createdAt: refund.created_at,
    });
  }

  /**
   * `requestKey`, the request's Idempotency-Key, makes a retry of an operation that already
   * ran (its answer lost in a crash) answer what it did instead of refusing or running again.
   */
  private async apply(operation: Operation, requestKey?: string): Promise<OperateOutcome> {
    const payment = this.state();
    const meta = this.kv.get<Meta>("meta");
    if (!payment || !meta) return { ok: false, error: "not_found" };
    const answered = requestKey ? this.kv.get<Payment>(`operation_request:${requestKey}`) : undefined;
    if (answered) return { ok: true, payment: answered };
    if (!isAllowed(payment.status, operation.op)) {
      return { ok: false, error: "invalid_state_transition", status: payment.status };
    }
    const review = payment.risk?.review;
    if (operation.op === "capture" && review?.status === "open") {
      return { ok: false, error: "under_review", reviewId: review.id };
    }
    if (operation.op === "capture" && (operation.amount ?? 0) > payment.amount_capturable) {
      return { ok: false, error: "amount_exceeds", limit: payment.amount_capturable };
    }
    const provider = this.providerOf(payment);
    const next = await transition(provider, payment, operation, new Date().toISOString());
    if (next === payment) return { ok: true, payment };
    // The provider call yielded the input gate: refuse if another operation moved the payment meanwhile.
    const current = this.state();
    if (current?.status !== payment.status) {
      return { ok: false, error: "invalid_state_transition", status: current?.status ?? payment.status };
    }
    const captured = next.amount_captured - payment.amount_captured;
    await this.commit(next, meta, this.statusItems(next, meta, captured), () => {
      if (requestKey) this.kv.put(`operation_request:${requestKey}`, next);
    });
    return { ok: true, payment: next };
  }

  /**
   * Closes the held payment's review (docs/risk.md): approve (capturing when the create asked to),
   * or reject (voiding the authorization). One at a time with the payment's other operations.
   */
  closeReview(outcome: "approve" | "reject", requestKey?: string): Promise<ReviewOutcome> {
    return this.serial.run(async () => {
      const payment = this.state();
      const meta = this.kv.get<Meta>("meta");
      const review = payment?.risk?.review;
      if (!payment || !meta || !review) return { ok: false, error: "not_found" };
      const answered = requestKey ? this.kv.get<Payment>(`operation_request:${requestKey}`) : undefined;
      if (answered) return { ok: true, payment: answered };
      if (review.status !== "open") return { ok: false, error: "review_closed", status: review.status };
      const provider = this.providerOf(payment);
      const next = await reviewTransition(provider, payment, outcome, new Date().toISOString());
      const current = this.state();
      if (current?.status !== payment.status || current.risk?.review?.status !== "open") {
        return { ok: false, error: "review_closed", status: current?.risk?.review?.status ?? review.status };
      }
      const moved = next.status !== payment.status;
      const items = [
        ...(moved ? this.statusItems(next, meta, next.amount_captured - payment.amount_captured) : []),
        ...this.reviewItems(next, meta, "review.closed"),
      ];
      await this.commit(next, meta, items, () => {
        if (requestKey) this.kv.put(`operation_request:${requestKey}`, next);
      });
      return { ok: true, payment: next };
    });
  }

  private reviewItems(payment: Payment, meta: Meta, type: "review.opened" | "review.closed"): OutboxItem[] {
    const review = reviewOf(payment);
    return review ? [eventOf(type, meta.partnerId, review)] : [];
  }

  /** A status change's outbox: the capture's posting (for `captured` minor units) and the status event. */
  private statusItems(payment: Payment, meta: Meta, captured: number): OutboxItem[] {
    const items: OutboxItem[] = [];
    if (captured > 0)
      items.push({ kind: "ledger", entry: captureEntry(payment, meta.partnerId, meta.feeBps, captured) });
    const type = eventTypeOf(payment.status);
    if (type) items.push(eventOf(type, meta.partnerId, payment));
    return items;
  }

  /**
   * Finishes a create that crashed before its commit, drains the outbox (backing off on
   * failure), then expires a QR code or redirect whose time ran out, or waits for it.
   */
  override async alarm() {
    const payment = await this.recoverAndDrain();
    const expiresAt = payment?.next_action?.expires_at;
    if (!payment || !expiresAt || !isAllowed(payment.status, "expire")) return;
    if (Date.parse(expiresAt) <= Date.now()) await this.operate({ op: "expire" });
    else await this.ctx.storage.setAlarm(Date.parse(expiresAt));
  }
}
