import { DurableObject } from "cloudflare:workers";
import { createDb, type Db } from "../src/platform/db/client";
import type { ObjectIndexRow } from "../src/platform/db/object-index";
import type { Env } from "../src/platform/env";
import type { Begin } from "../src/platform/idempotency-store";
import { KeyRecords } from "./key-record";
import { Outbox, type OutboxItem } from "./outbox";
import { Serial } from "./serial";

/** A create that crashed before its commit is finished by the alarm after this long. */
const CREATE_RECOVERY_MS = 30_000;
/** Set in each commit's transaction until the D1 projection shows that commit. */
const INDEX_DUE = "index_due";

interface IndexDue {
  objectName: string;
  partnerId: string;
  /** Counts commits, so that a refresh clears only the mark it served. */
  version: number;
}

/** What every money movement's state carries, as its D1 projection lists it. */
interface Movement {
  id: string;
  status: string;
  amount: number;
  currency: string;
  created_at: string;
  updated_at: string;
}

/**
 * The skeleton of an object holding one money movement (a payment, a payout), named from the
 * creating request's idempotency scope so that concurrent duplicates meet in it:
 * - a create runs once: an existing movement answers itself, concurrent creates share one
 *   attempt, and an attempt is persisted before any outside call, so the alarm finishes a
 *   create whose instance died before its commit;
 * - every state change commits with its outbox (ledger postings, events) in one storage
 *   transaction, then the alarm drains the outbox; the D1 projection is refreshed right after
 *   the commit and, if the instance died first, by the alarm (the crash loop found that gap).
 * - the object keeps the Idempotency-Key of its own create (`begin`, `complete`, `release`, the
 *   rules of `KeyRecords`): the create's request needs this one object, not a key object too.
 * The movement's own rules (what a create does, which transitions exist) are the subclass's.
 */
export abstract class MoneyObject<
  State extends Movement,
  Input extends { partnerId: string },
  Created extends { ok: boolean },
> extends DurableObject<Env> {
  /** Where the movement's state is kept ("payment", "payout"). */
  protected abstract readonly stateKey: string;
  /** Operations run one at a time: outside calls yield the input gate. */
  protected readonly serial = new Serial();
  private creating: Promise<Created> | undefined;

  /** The create's own work, run once per object (however many creates arrive at once). */
  protected abstract attempt(input: Input, objectName: string): Promise<Created>;
  /** What a create of an existing movement answers. */
  protected abstract existing(state: State): Created;
  /** Writes the D1 projection. */
  protected abstract upsertIndex(db: Db, row: ObjectIndexRow): Promise<void>;

  /** The status page's probe (on a reserved object name): the namespace answers, no state is read or written. */
  ping(): string {
    return "ok";
  }

  protected get kv() {
    return this.ctx.storage.kv;
  }

  protected get outbox() {
    return new Outbox(this.kv, this.env);
  }

  protected get db(): Db {
    return createDb(this.env.DB);
  }

  protected state(): State | undefined {
    return this.kv.get<State>(this.stateKey);
  }

  async get(): Promise<State | undefined> {
    return this.state();
  }

  private get keyRecords() {
    return new KeyRecords(this.kv);
  }

  /** The create request's Idempotency-Key, kept here (the object is named from its scope). */
  async begin(fingerprint: string, lockMs: number): Promise<Begin> {
    return this.keyRecords.begin(fingerprint, lockMs);
  }

  async complete(lockToken: string, status: number, body: string): Promise<boolean> {
    return this.keyRecords.complete(lockToken, status, body);
  }

  async release(lockToken: string): Promise<void> {
    this.keyRecords.release(lockToken);
  }

  async create(input: Input, objectName: string): Promise<Created> {
    const existing = this.state();
    if (existing) {
      await this.index(existing, objectName, input.partnerId);
      return this.existing(existing);
    }
    this.creating ??= this.attempt(input, objectName).finally(() => {
      this.creating = undefined;
    });
    return this.creating;
  }

  /**
   * The create's attempt as persisted (a retry after a crash reuses it, so outside calls see
   * the same ids), persisted now with the alarm that finishes it if this instance dies first.
   */
  protected async beginCreate(input: Input, objectName: string): Promise<Input> {
    const attempt = this.kv.get<Input>("creating") ?? input;
    this.kv.put("creating", attempt);
    this.kv.put("object_name", objectName);
    await this.ctx.storage.setAlarm(Date.now() + CREATE_RECOVERY_MS);
    return attempt;
  }

  /** A create that will not happen (refused by the rails or the ledger): nothing to recover. */
  protected abandonCreate() {
    this.kv.delete("creating");
  }

  /**
   * The state change and its outbox in one storage transaction (with `also`, the subclass's
   * own writes); then the drain is scheduled and the D1 projection refreshed.
   */
  protected async commit(
    state: State,
    owner: { objectName: string; partnerId: string },
    outbox: OutboxItem[],
    also?: () => void,
  ) {
    this.ctx.storage.transactionSync(() => {
      this.kv.put(this.stateKey, state);
      const version = (this.kv.get<IndexDue>(INDEX_DUE)?.version ?? 0) + 1;
      this.kv.put(INDEX_DUE, { ...owner, version } satisfies IndexDue);
      this.outbox.enqueue(outbox);
      also?.();
    });
    await this.ctx.storage.setAlarm(Date.now());
    await this.refreshIndex();
  }

  /**
   * Writes the D1 projection of the current state if a commit left it due: right after the
   * commit, and from the alarm for a commit whose instance died before it got that far. The
   * mark is cleared only if no newer commit set it meanwhile.
   */
  private async refreshIndex() {
    const due = this.kv.get<IndexDue>(INDEX_DUE);
    const state = this.state();
    if (!due || !state) return;
    await this.index(state, due.objectName, due.partnerId);
    if (this.kv.get<IndexDue>(INDEX_DUE)?.version === due.version) this.kv.delete(INDEX_DUE);
  }

  /** The D1 row that finds this object by the movement's id; written before a create is acknowledged. */
  protected async index(state: State, objectName: string, partnerId: string) {
    await this.upsertIndex(this.db, {
      id: state.id,
      partnerId,
      objectName,
      status: state.status,
      amount: state.amount,
      currency: state.currency,
      snapshot: Object.fromEntries(Object.entries(state)),
      createdAt: state.created_at,
      updatedAt: state.updated_at,
    });
  }

  /**
   * The alarm's common part: finishes a create that crashed before its commit, then drains
   * the outbox, backing off on failure. Answers the state when the subclass may go on.
   */
  protected async recoverAndDrain(): Promise<State | undefined> {
    const attempt = this.kv.get<Input>("creating");
    const objectName = this.kv.get<string>("object_name");
    if (attempt && objectName && !this.state()) await this.create(attempt, objectName);
    if (!this.state()) return undefined;
    await this.refreshIndex();
    const drain = await this.outbox.drain();
    if (!drain.drained) {
      await this.ctx.storage.setAlarm(Date.now() + drain.retryInMs);
      return undefined;
    }
    return this.state();
  }

  /** Outbox items not yet drained (for tests and operations). */
  async pendingOutbox(): Promise<number> {
    return this.outbox.pending();
  }
}
