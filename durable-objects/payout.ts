import { DurableObject } from "cloudflare:workers";
import { postGuardedEntry } from "../src/modules/ledger/ledger";
import { payoutProviderFor } from "../src/modules/payouts/connector";
import { payoutFailureOf } from "../src/modules/payouts/connector/sandbox";
import type { Settlement } from "../src/modules/payouts/connector/types";
import {
  type CreatePayoutInput,
  holdEntry,
  isPayoutAllowed,
  type Payout,
  type PayoutStatus,
  paidEntry,
  payoutEventOf,
  reversalEntry,
} from "../src/modules/payouts/model";
import { upsertPayoutIndex } from "../src/modules/payouts/storage";
import { createDb } from "../src/platform/db/client";
import { type Env, loadConfig } from "../src/platform/env";
import { eventOf, Outbox, type OutboxItem } from "./outbox";
import { Serial } from "./serial";

export type CreatePayoutOutcome =
  | { ok: true; payout: Payout }
  | { ok: false; error: "unknown_destination" }
  | { ok: false; error: "insufficient_balance"; available: number };

export type SimulatePayoutOutcome =
  | { ok: true; payout: Payout }
  | { ok: false; error: "not_found" }
  | { ok: false; error: "invalid_state_transition"; status: PayoutStatus };

/** What the sandbox's simulate button asks for: the destination's own outcome, or this one. */
export type ForcedOutcome = "paid" | "failed" | "natural";

interface Meta {
  partnerId: string;
  objectName: string;
  destinationToken: string;
  /** When the rails took it (ms), and when to ask them again. */
  sentAt?: number;
  checkAgainAt?: number;
}

/** A create that crashed before its commit is finished by the alarm after this long. */
const CREATE_RECOVERY_MS = 30_000;

/**
 * One object per payout, named from the creating request's idempotency scope, so
 * concurrent duplicates meet here. The hold on the partner's available balance is posted
 * straight to D1 before the payout exists (it is the guard that keeps concurrent payouts
 * from overdrawing); every later posting and event leaves through the outbox. The alarm
 * drains the outbox and walks the payout `queued → sent → paid | failed`.
 */
export class PayoutObject extends DurableObject<Env> {
  private creating: Promise<CreatePayoutOutcome> | undefined;
  private readonly serial = new Serial();

  /** The status page's probe (on a reserved object name): the namespace answers, no state is read or written. */
  ping(): string {
    return "ok";
  }

  private get kv() {
    return this.ctx.storage.kv;
  }

  private get outbox() {
    return new Outbox(this.kv, this.env);
  }

  async get(): Promise<Payout | undefined> {
    return this.kv.get<Payout>("payout");
  }

  async create(input: CreatePayoutInput, objectName: string): Promise<CreatePayoutOutcome> {
    const existing = this.kv.get<Payout>("payout");
    if (existing) {
      await this.index(existing, objectName, input.partnerId);
      return { ok: true, payout: existing };
    }
    // D1 calls yield the input gate: concurrent creates share one attempt.
    this.creating ??= this.hold(input, objectName).finally(() => {
      this.creating = undefined;
    });
    return this.creating;
  }

  private async hold(input: CreatePayoutInput, objectName: string): Promise<CreatePayoutOutcome> {
    // Persisted before the hold is posted: a retry after a crash posts under the same payout id.
    const attempt = this.kv.get<CreatePayoutInput>("creating") ?? input;
    const provider = payoutProviderFor(loadConfig(this.env));
    const destination = provider.resolveDestination(attempt.destinationToken);
    if (!destination) return { ok: false, error: "unknown_destination" };
    this.kv.put("creating", attempt);
    this.kv.put("object_name", objectName);
    await this.ctx.storage.setAlarm(Date.now() + CREATE_RECOVERY_MS);

    const payout: Payout = {
      id: attempt.payoutId,
      object: "payout",
      amount: attempt.amount,
      currency: attempt.currency,
      status: "queued",
      destination,
      failure: null,
      provider: provider.name,
      provider_reference: null,
      metadata: attempt.metadata,
      created_at: attempt.now,
      updated_at: attempt.now,
      livemode: attempt.livemode,
    };
    const held = await postGuardedEntry(createDb(this.env.DB), holdEntry(payout, attempt.partnerId), {
      owner: attempt.partnerId,
      code: "partner_available",
      atLeast: payout.amount,
    });
    if (!held.ok) {
      this.kv.delete("creating");
      return { ok: false, error: "insufficient_balance", available: held.available };
    }
    const meta: Meta = {
      partnerId: attempt.partnerId,
      objectName,
      destinationToken: attempt.destinationToken,
    };
    await this.commit(payout, meta, [eventOf("payout.queued", meta.partnerId, payout)], () => {
      this.kv.delete("creating");
    });
    return { ok: true, payout };
  }

  /** The sandbox's button: sends a queued payout and settles it now, as the destination would or as asked. */
  simulate(outcome: ForcedOutcome): Promise<SimulatePayoutOutcome> {
    return this.serial.run(async () => {
      const payout = this.kv.get<Payout>("payout");
      if (!payout) return { ok: false, error: "not_found" };
      if (!isPayoutAllowed(payout.status, "simulate")) {
        return { ok: false, error: "invalid_state_transition", status: payout.status };
      }
      return { ok: true, payout: await this.advance(outcome) };
    });
  }

  /**
   * Walks the payout forward as far as the rails allow: a queued payout is submitted; a
   * sent one is settled when the rails (or a simulate call) answer.
   */
  private async advance(forced?: ForcedOutcome): Promise<Payout> {
    let payout = this.kv.get<Payout>("payout") as Payout;
    const meta = this.kv.get<Meta>("meta") as Meta;
    const provider = payoutProviderFor(loadConfig(this.env));
    if (isPayoutAllowed(payout.status, "submit")) {
      const { providerReference } = await provider.submit({
        payoutId: payout.id,
        amount: payout.amount,
        currency: payout.currency,
        destinationToken: meta.destinationToken,
      });
      payout = { ...payout, status: "sent", provider_reference: providerReference, updated_at: now() };
      meta.sentAt = Date.now();
      await this.commit(payout, meta, [eventOf("payout.sent", meta.partnerId, payout)]);
    }
    if (!isPayoutAllowed(payout.status, "settle")) return payout;

    const reference = payout.provider_reference ?? payout.id;
    const sentAt = meta.sentAt ?? Date.now();
    // A simulate call answers as if the rails' time had passed.
    const asked = await provider.settlement(
      reference,
      meta.destinationToken,
      sentAt,
      forced ? Number.POSITIVE_INFINITY : Date.now(),
    );
    const settlement: Settlement =
      forced === "paid"
        ? { status: "paid" }
        : forced === "failed" && asked.status !== "failed"
          ? payoutFailureOf("bank_unavailable")
          : asked;
    if (settlement.status === "sent") {
      this.kv.put("meta", { ...meta, checkAgainAt: settlement.checkAgainAt });
      return payout;
    }
    const settled: Payout =
      settlement.status === "paid"
        ? { ...payout, status: "paid", updated_at: now() }
        : {
            ...payout,
            status: "failed",
            failure: { code: "payout_failed", reason: settlement.reason, message: settlement.message },
            updated_at: now(),
          };
    const posting =
      settled.status === "paid" ? paidEntry(settled, meta.partnerId) : reversalEntry(settled, meta.partnerId);
    await this.commit(settled, meta, [
      { kind: "ledger", entry: posting },
      eventOf(payoutEventOf(settled.status), meta.partnerId, settled),
    ]);
    return settled;
  }

  /** The state change, its meta and its outbox in one storage transaction; then the drain and the D1 row. */
  private async commit(payout: Payout, meta: Meta, outbox: OutboxItem[], also?: () => void) {
    this.ctx.storage.transactionSync(() => {
      this.kv.put("payout", payout);
      this.kv.put("meta", meta);
      this.outbox.enqueue(outbox);
      also?.();
    });
    await this.ctx.storage.setAlarm(Date.now());
    await this.index(payout, meta.objectName, meta.partnerId);
  }

  private async index(payout: Payout, objectName: string, partnerId: string) {
    await upsertPayoutIndex(createDb(this.env.DB), {
      id: payout.id,
      partnerId,
      objectName,
      status: payout.status,
      amount: payout.amount,
      currency: payout.currency,
      snapshot: { ...payout },
      createdAt: payout.created_at,
      updatedAt: payout.updated_at,
    });
  }

  /**
   * Finishes a create that crashed before its commit, drains the outbox (backing off on
   * failure), walks the payout forward, and wakes again while the rails have not answered.
   */
  override async alarm() {
    const attempt = this.kv.get<CreatePayoutInput>("creating");
    const objectName = this.kv.get<string>("object_name");
    if (attempt && objectName && !this.kv.get("payout")) await this.create(attempt, objectName);
    if (!this.kv.get("payout")) return;

    const drain = await this.outbox.drain();
    if (!drain.drained) {
      await this.ctx.storage.setAlarm(Date.now() + drain.retryInMs);
      return;
    }
    const payout = await this.serial.run(() => this.advance());
    const checkAgainAt = this.kv.get<Meta>("meta")?.checkAgainAt;
    if (this.outbox.pending() > 0) await this.ctx.storage.setAlarm(Date.now());
    else if (payout.status === "sent" && checkAgainAt) await this.ctx.storage.setAlarm(checkAgainAt);
  }

  /** Outbox items not yet drained (for tests and operations). */
  async pendingOutbox(): Promise<number> {
    return this.outbox.pending();
  }
}

const now = () => new Date().toISOString();
