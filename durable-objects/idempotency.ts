import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/platform/env";
import type { Begin } from "../src/platform/idempotency-store";
import { KeyRecords, RETENTION_MS } from "./key-record";

/**
 * One object per idempotency scope (environment + partner + key), for the writes whose
 * object does not keep its own key: concurrent duplicates meet here and are serialized.
 * The record's rules are `KeyRecords`; this object adds only its storage and its alarm,
 * which forgets the key after the retention period.
 */
export class IdempotencyKey extends DurableObject<Env> {
  /** The status page's probe (on a reserved object name): the namespace answers, no state is read or written. */
  ping(): string {
    return "ok";
  }

  private get records() {
    return new KeyRecords(this.ctx.storage.kv, "record");
  }

  async begin(fingerprint: string, lockMs: number): Promise<Begin> {
    const begun = this.records.begin(fingerprint, lockMs);
    if (begun.outcome === "execute") await this.ctx.storage.setAlarm(Date.now() + RETENTION_MS);
    return begun;
  }

  /** Stores the response of an executed request; ignored if the lock was lost meanwhile. */
  async complete(lockToken: string, status: number, body: string): Promise<boolean> {
    return this.records.complete(lockToken, status, body);
  }

  /** Forgets a request that was refused before it executed, so the key can be used again. */
  async release(lockToken: string): Promise<void> {
    this.records.release(lockToken);
  }

  override async alarm() {
    await this.ctx.storage.deleteAll();
  }
}
