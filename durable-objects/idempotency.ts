import { DurableObject } from "cloudflare:workers";
import type { Env } from "../src/platform/env";

/** What one idempotency key remembers. */
interface KeyRecord {
  fingerprint: string;
  state: "in_flight" | "done";
  lockToken: string;
  lockExpiresAt: number;
  status?: number;
  body?: string;
  createdAt: number;
}

export type Begin =
  | { outcome: "execute"; lockToken: string }
  | { outcome: "replay"; status: number; body: string }
  | { outcome: "mismatch" }
  | { outcome: "in_flight"; retryAfterSeconds: number };

/** Records are kept at least this long (docs/idempotency.md: at least 24 h). */
export const RETENTION_MS = 48 * 3600 * 1000;

/**
 * One object per idempotency scope (environment + partner + key): concurrent duplicates
 * meet here and are serialized. The first request takes a lock that expires, so a crash
 * never leaves the key stuck; the finished response is kept for replay.
 */
export class IdempotencyKey extends DurableObject<Env> {
  /** The status page's probe (on a reserved object name): the namespace answers, no state is read or written. */
  ping(): string {
    return "ok";
  }

  private record(): KeyRecord | undefined {
    return this.ctx.storage.kv.get<KeyRecord>("record");
  }

  async begin(fingerprint: string, lockMs: number): Promise<Begin> {
    const now = Date.now();
    const existing = this.record();
    if (existing && existing.fingerprint !== fingerprint) return { outcome: "mismatch" };
    if (existing?.state === "done" && existing.status !== undefined && existing.body !== undefined) {
      return { outcome: "replay", status: existing.status, body: existing.body };
    }
    if (existing?.state === "in_flight" && existing.lockExpiresAt > now) {
      return { outcome: "in_flight", retryAfterSeconds: 1 };
    }
    // New, or a lock whose holder died: this request takes over.
    const lockToken = crypto.randomUUID();
    this.ctx.storage.kv.put("record", {
      fingerprint,
      state: "in_flight",
      lockToken,
      lockExpiresAt: now + lockMs,
      createdAt: existing?.createdAt ?? now,
    } satisfies KeyRecord);
    await this.ctx.storage.setAlarm(now + RETENTION_MS);
    return { outcome: "execute", lockToken };
  }

  /** Stores the response of an executed request; ignored if the lock was lost meanwhile. */
  async complete(lockToken: string, status: number, body: string): Promise<boolean> {
    const record = this.record();
    if (!record || record.lockToken !== lockToken) return false;
    this.ctx.storage.kv.put("record", { ...record, state: "done", status, body } satisfies KeyRecord);
    return true;
  }

  /** Forgets a request that was refused before it executed, so the key can be used again. */
  async release(lockToken: string): Promise<void> {
    const record = this.record();
    if (record?.lockToken === lockToken && record.state === "in_flight") this.ctx.storage.kv.delete("record");
  }

  override async alarm() {
    await this.ctx.storage.deleteAll();
  }
}
