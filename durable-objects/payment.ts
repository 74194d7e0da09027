import { DurableObject } from "cloudflare:workers";
import { paymentProviderFor } from "../src/connectors/payments";
import { createDb } from "../src/db/client";
import { insertRefundIndex, upsertPaymentIndex } from "../src/db/payments";
import { type Env, loadConfig } from "../src/env";
import { uuidv7 } from "../src/lib/ids";
import { createLogger } from "../src/lib/logger";
import { type EventType, type PorticoEvent, publishEvent } from "../src/services/events";
import { type EntryInput, postEntry } from "../src/services/ledger";
import {
  type CreatePaymentInput,
  captureEntry,
  eventTypeOf,
  type Payment,
  paymentFrom,
  type Refund,
  refundEntry,
} from "../src/services/payment-model";
import { isAllowed, type PaymentStatus } from "../src/services/payment-state";

type OutboxItem = { kind: "ledger"; entry: EntryInput } | { kind: "event"; event: PorticoEvent };

export type CreateOutcome = { ok: true; payment: Payment } | { ok: false; error: "unknown_method" };

export type Operation =
  | { op: "confirm"; result: "success" | "failure" | "canceled" }
  | { op: "capture"; amount?: number }
  | { op: "cancel" };

export type OperateOutcome =
  | { ok: true; payment: Payment }
  | { ok: false; error: "not_found" }
  | { ok: false; error: "invalid_state_transition"; status: PaymentStatus }
  | { ok: false; error: "amount_exceeds"; limit: number };

export type RefundOutcome = { ok: true; refund: Refund } | Exclude<OperateOutcome, { ok: true }>;

export interface RefundRequest {
  refundId: string;
  amount?: number;
  reason: Refund["reason"];
}

/** Who the payment belongs to and what it costs them, fixed at creation. */
interface Meta {
  partnerId: string;
  feeBps: number;
  objectName: string;
}

const MAX_DRAIN_DELAY_MS = 60_000;

/**
 * One object per payment, named from the creating request's idempotency scope, so
 * concurrent duplicates meet here. It is the truth for the payment's state. Ledger
 * postings and events leave through an outbox written in the same storage transaction
 * as the state change, drained by an alarm until D1 and the queue have them.
 */
export class PaymentObject extends DurableObject<Env> {
  private creating: Promise<CreateOutcome> | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  /** Operations on the payment run one at a time: provider calls yield the input gate. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private get kv() {
    return this.ctx.storage.kv;
  }

  async get(): Promise<Payment | undefined> {
    return this.kv.get<Payment>("payment");
  }

  async create(input: CreatePaymentInput, objectName: string): Promise<CreateOutcome> {
    const existing = this.kv.get<Payment>("payment");
    if (existing) {
      await this.index(existing, objectName, input.partnerId);
      return { ok: true, payment: existing };
    }
    // The provider call yields the input gate: concurrent creates share one attempt.
    this.creating ??= this.authorize(input, objectName).finally(() => {
      this.creating = undefined;
    });
    return this.creating;
  }

  private async authorize(input: CreatePaymentInput, objectName: string): Promise<CreateOutcome> {
    // Persisted before the provider is called: a retry after a crash reuses the same payment id,
    // which is the provider's idempotency key.
    const attempt = this.kv.get<CreatePaymentInput>("creating") ?? input;
    this.kv.put("creating", attempt);
    const provider = paymentProviderFor(loadConfig(this.env));
    const result = await provider.authorize({
      paymentId: attempt.paymentId,
      amount: attempt.amount,
      currency: attempt.currency,
      paymentMethodToken: attempt.paymentMethodToken,
      capture: attempt.capture,
      now: Date.parse(attempt.now),
    });
    if (result.outcome === "unknown_method") {
      this.kv.delete("creating");
      return { ok: false, error: "unknown_method" };
    }

    const payment = paymentFrom(attempt, provider.name, result);
    const meta: Meta = { partnerId: attempt.partnerId, feeBps: attempt.feeBps, objectName };
    await this.commit(
      payment,
      meta,
      this.statusItems(payment, meta, payment.status === "captured" ? payment.amount : 0),
      () => {
        this.kv.put("meta", meta);
        this.kv.delete("creating");
      },
    );
    return { ok: true, payment };
  }

  /** 3-D Secure result, capture (in full or in part) and cancel; illegal transitions change nothing. */
  operate(operation: Operation): Promise<OperateOutcome> {
    return this.serial(() => this.apply(operation));
  }

  async getRefund(refundId: string): Promise<Refund | undefined> {
    return this.kv.get<Refund>(`refund:${refundId}`);
  }

  /** A partial or full refund of captured money; many per payment, never above what was captured. */
  refund(request: RefundRequest): Promise<RefundOutcome> {
    return this.serial(async () => {
      const payment = this.kv.get<Payment>("payment");
      const meta = this.kv.get<Meta>("meta");
      if (!payment || !meta) return { ok: false, error: "not_found" };
      const done = this.kv.get<Refund>(`refund:${request.refundId}`);
      if (done) return { ok: true, refund: done };
      if (!isAllowed(payment.status, "refund")) {
        return { ok: false, error: "invalid_state_transition", status: payment.status };
      }
      const refundable = payment.amount_captured - payment.amount_refunded;
      const amount = request.amount ?? refundable;
      if (amount > refundable) return { ok: false, error: "amount_exceeds", limit: refundable };

      const provider = paymentProviderFor(loadConfig(this.env));
      const result = await provider.refund(
        payment.provider_reference ?? payment.id,
        request.refundId,
        amount,
      );
      const now = new Date().toISOString();
      const refund: Refund = {
        id: request.refundId,
        object: "refund",
        payment_id: payment.id,
        amount,
        currency: payment.currency,
        status: result.ok ? "succeeded" : "failed",
        reason: request.reason,
        failure_reason: result.ok ? null : result.decline.reason,
        created_at: now,
        livemode: payment.livemode,
      };
      const refunded = payment.amount_refunded + (result.ok ? amount : 0);
      const next: Payment = result.ok
        ? {
            ...payment,
            amount_refunded: refunded,
            status: refunded === payment.amount_captured ? "refunded" : "partially_refunded",
            updated_at: now,
          }
        : payment;
      const items: OutboxItem[] = [
        ...(result.ok ? [{ kind: "ledger" as const, entry: refundEntry(refund, meta.partnerId) }] : []),
        { kind: "event", event: this.event(result.ok ? "refund.succeeded" : "refund.failed", meta, refund) },
      ];
      await this.commit(next, meta, items, () => {
        this.kv.put(`refund:${refund.id}`, refund);
      });
      await insertRefundIndex(createDb(this.env.DB), {
        id: refund.id,
        partnerId: meta.partnerId,
        paymentId: payment.id,
        objectName: meta.objectName,
        createdAt: now,
      });
      return { ok: true, refund };
    });
  }

  private event(type: EventType, meta: Meta, object: Payment | Refund): PorticoEvent {
    return {
      id: uuidv7(),
      type,
      partnerId: meta.partnerId,
      livemode: object.livemode,
      createdAt: new Date().toISOString(),
      object: { ...object },
    };
  }

  private async apply(operation: Operation): Promise<OperateOutcome> {
    const payment = this.kv.get<Payment>("payment");
    const meta = this.kv.get<Meta>("meta");
    if (!payment || !meta) return { ok: false, error: "not_found" };
    if (!isAllowed(payment.status, operation.op)) {
      return { ok: false, error: "invalid_state_transition", status: payment.status };
    }
    const provider = paymentProviderFor(loadConfig(this.env));
    const reference = payment.provider_reference ?? payment.id;
    const now = new Date().toISOString();
    let next: Payment;
    let captured = 0;
    if (operation.op === "capture") {
      const amount = operation.amount ?? payment.amount_capturable;
      if (amount > payment.amount_capturable) {
        return { ok: false, error: "amount_exceeds", limit: payment.amount_capturable };
      }
      const done = await provider.capture(reference, amount);
      if (!done.ok) return { ok: true, payment };
      // Capturing part of an authorization releases the rest.
      next = {
        ...payment,
        status: "captured",
        amount_captured: amount,
        amount_capturable: 0,
        updated_at: now,
      };
      captured = amount;
    } else if (operation.op === "cancel") {
      await provider.void(reference);
      next = { ...payment, status: "canceled", amount_capturable: 0, next_action: null, updated_at: now };
    } else {
      const done = await provider.confirmAuthentication(reference, operation.result);
      if (done.ok) {
        next = payment.capture
          ? {
              ...payment,
              status: "captured",
              amount_captured: payment.amount,
              next_action: null,
              updated_at: now,
            }
          : {
              ...payment,
              status: "authorized",
              amount_capturable: payment.amount,
              next_action: null,
              updated_at: now,
            };
        captured = payment.capture ? payment.amount : 0;
      } else if (operation.result === "canceled") {
        next = { ...payment, status: "canceled", next_action: null, updated_at: now };
      } else {
        next = {
          ...payment,
          status: "failed",
          next_action: null,
          failure: { code: "card_declined", ...done.decline },
          updated_at: now,
        };
      }
    }
    // The provider call yielded the input gate: refuse if another operation moved the payment meanwhile.
    const current = this.kv.get<Payment>("payment");
    if (current?.status !== payment.status) {
      return { ok: false, error: "invalid_state_transition", status: current?.status ?? payment.status };
    }
    await this.commit(next, meta, this.statusItems(next, meta, captured));
    return { ok: true, payment: next };
  }

  /**
   * The state change and its outbox (ledger postings, events) in one storage transaction;
   * then the drain is scheduled and the D1 projection refreshed.
   */
  /** A status change's outbox: the capture's posting (for `captured` minor units) and the status event. */
  private statusItems(payment: Payment, meta: Meta, captured: number): OutboxItem[] {
    const items: OutboxItem[] = [];
    if (captured > 0)
      items.push({ kind: "ledger", entry: captureEntry(payment, meta.partnerId, meta.feeBps, captured) });
    const type = eventTypeOf(payment.status);
    if (type) items.push({ kind: "event", event: this.event(type, meta, payment) });
    return items;
  }

  private async commit(payment: Payment, meta: Meta, outbox: OutboxItem[], also?: () => void) {
    this.ctx.storage.transactionSync(() => {
      this.kv.put("payment", payment);
      this.enqueue(outbox);
      also?.();
    });
    await this.ctx.storage.setAlarm(Date.now());
    await this.index(payment, meta.objectName, meta.partnerId);
  }

  private enqueue(items: OutboxItem[]) {
    let seq = this.kv.get<number>("outbox_seq") ?? 0;
    for (const item of items) {
      seq += 1;
      this.kv.put(`outbox:${String(seq).padStart(10, "0")}`, item);
    }
    this.kv.put("outbox_seq", seq);
  }

  /** The D1 row that finds this object by payment id; written before a create is acknowledged. */
  private async index(payment: Payment, objectName: string, partnerId: string) {
    await upsertPaymentIndex(createDb(this.env.DB), {
      id: payment.id,
      partnerId,
      objectName,
      status: payment.status,
      amount: payment.amount,
      currency: payment.currency,
      snapshot: { ...payment },
      createdAt: payment.created_at,
      updatedAt: payment.updated_at,
    });
  }

  /** Drains the outbox in order; a failure keeps the rest and retries with backoff. */
  override async alarm() {
    const db = createDb(this.env.DB);
    for (const [key, item] of this.kv.list<OutboxItem>({ prefix: "outbox:" })) {
      try {
        if (item.kind === "ledger") await postEntry(db, item.entry);
        else await publishEvent(db, this.env.EVENTS_QUEUE, item.event);
        this.kv.delete(key);
      } catch (err) {
        const attempts = (this.kv.get<number>("drain_attempts") ?? 0) + 1;
        this.kv.put("drain_attempts", attempts);
        createLogger("warn").warn("payment outbox drain failed", {
          key,
          error: err instanceof Error ? err.name : "unknown",
          attempts,
        });
        await this.ctx.storage.setAlarm(Date.now() + Math.min(MAX_DRAIN_DELAY_MS, 1000 * 2 ** attempts));
        return;
      }
    }
    this.kv.delete("drain_attempts");
  }

  /** Outbox items not yet drained (for tests and operations). */
  async pendingOutbox(): Promise<number> {
    return [...this.kv.list({ prefix: "outbox:" })].length;
  }
}
