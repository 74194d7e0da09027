import { postGuardedEntry } from "../src/modules/ledger/ledger";
import { payoutProviderFor } from "../src/modules/payouts/connector";
import {
  type CreatePayoutInput,
  type ForcedOutcome,
  forcedSettlement,
  holdEntry,
  isPayoutAllowed,
  type Payout,
  type PayoutStatus,
  paidEntry,
  payoutEventOf,
  reversalEntry,
  settledPayout,
} from "../src/modules/payouts/model";
import { upsertPayoutIndex } from "../src/modules/payouts/storage";
import type { Db } from "../src/platform/db/client";
import type { ObjectIndexRow } from "../src/platform/db/object-index";
import { loadConfig } from "../src/platform/env";
import { MoneyObject } from "./money-object";
import { eventOf, type OutboxItem } from "./outbox";

export type CreatePayoutOutcome =
  | { ok: true; payout: Payout }
  | { ok: false; error: "unknown_destination" }
  | { ok: false; error: "insufficient_balance"; available: number };

export type SimulatePayoutOutcome =
  | { ok: true; payout: Payout }
  | { ok: false; error: "not_found" }
  | { ok: false; error: "invalid_state_transition"; status: PayoutStatus };

interface Meta {
  partnerId: string;
  objectName: string;
  destinationToken: string;
  /** When the rails took it (ms), and when to ask them again. */
  sentAt?: number;
  checkAgainAt?: number;
}

/**
 * One object per payout, named from the creating request's idempotency scope, so
 * concurrent duplicates meet here. The hold on the partner's available balance is posted
 * straight to D1 before the payout exists (it is the guard that keeps concurrent payouts
 * from overdrawing); every later posting and event leaves through the outbox. The alarm
 * drains the outbox and walks the payout `queued → sent → paid | failed`.
 */
export class PayoutObject extends MoneyObject<Payout, CreatePayoutInput, CreatePayoutOutcome> {
  protected readonly stateKey = "payout";

  protected existing(payout: Payout): CreatePayoutOutcome {
    return { ok: true, payout };
  }

  protected upsertIndex(db: Db, row: ObjectIndexRow) {
    return upsertPayoutIndex(db, row);
  }

  // D1 calls yield the input gate: concurrent creates share this one attempt.
  protected async attempt(input: CreatePayoutInput, objectName: string): Promise<CreatePayoutOutcome> {
    // Persisted before the hold is posted: a retry after a crash posts under the same payout id.
    const attempt = this.kv.get<CreatePayoutInput>("creating") ?? input;
    const provider = payoutProviderFor(loadConfig(this.env));
    const destination = provider.resolveDestination(attempt.destinationToken);
    if (!destination) return { ok: false, error: "unknown_destination" };
    await this.beginCreate(attempt, objectName);

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
    const held = await postGuardedEntry(this.db, holdEntry(payout, attempt.partnerId), {
      owner: attempt.partnerId,
      code: "partner_available",
      atLeast: payout.amount,
    });
    if (!held.ok) {
      this.abandonCreate();
      return { ok: false, error: "insufficient_balance", available: held.available };
    }
    const meta: Meta = {
      partnerId: attempt.partnerId,
      objectName,
      destinationToken: attempt.destinationToken,
    };
    await this.commitWithMeta(payout, meta, [eventOf("payout.queued", meta.partnerId, payout)], () => {
      this.kv.delete("creating");
    });
    return { ok: true, payout };
  }

  /** The sandbox's button: sends a queued payout and settles it now, as the destination would or as asked. */
  simulate(outcome: ForcedOutcome): Promise<SimulatePayoutOutcome> {
    return this.serial.run(async () => {
      const payout = this.state();
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
    let payout = this.state() as Payout;
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
      await this.commitWithMeta(payout, meta, [eventOf("payout.sent", meta.partnerId, payout)]);
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
    const settlement = forced ? forcedSettlement(forced, asked) : asked;
    if (settlement.status === "sent") {
      this.kv.put("meta", { ...meta, checkAgainAt: settlement.checkAgainAt });
      return payout;
    }
    const settled = settledPayout(payout, settlement, now());
    const posting =
      settled.status === "paid" ? paidEntry(settled, meta.partnerId) : reversalEntry(settled, meta.partnerId);
    await this.commitWithMeta(settled, meta, [
      { kind: "ledger", entry: posting },
      eventOf(payoutEventOf(settled.status), meta.partnerId, settled),
    ]);
    return settled;
  }

  /** The state change, its meta and its outbox in one storage transaction; then the drain and the D1 row. */
  private async commitWithMeta(payout: Payout, meta: Meta, outbox: OutboxItem[], also?: () => void) {
    await this.commit(payout, meta, outbox, () => {
      this.kv.put("meta", meta);
      also?.();
    });
  }

  /**
   * Finishes a create that crashed before its commit, drains the outbox (backing off on
   * failure), walks the payout forward, and wakes again while the rails have not answered.
   */
  override async alarm() {
    if (!(await this.recoverAndDrain())) return;
    const payout = await this.serial.run(() => this.advance());
    const checkAgainAt = this.kv.get<Meta>("meta")?.checkAgainAt;
    if (this.outbox.pending() > 0) await this.ctx.storage.setAlarm(Date.now());
    else if (payout.status === "sent" && checkAgainAt) await this.ctx.storage.setAlarm(checkAgainAt);
  }
}

const now = () => new Date().toISOString();
