import type { Begin } from "../src/platform/idempotency-store";

/**
 * What one Idempotency-Key remembers, and the rules that keep it: the first request takes a
 * lock that expires (a crash never leaves the key stuck), a different request under the key is
 * a mismatch, one still running is in flight, and the finished answer is kept for replay. The
 * generic key object (durable-objects/idempotency.ts) keeps one; an object that a keyed request
 * creates (a payment) keeps the key of its own create, so the create needs one object, not two.
 */
interface KeyRecord {
  fingerprint: string;
  state: "in_flight" | "done";
  lockToken: string;
  lockExpiresAt: number;
  status?: number;
  body?: string;
  createdAt: number;
}

/** Records are kept at least this long (docs/idempotency.md: at least 24 h). */
export const RETENTION_MS = 48 * 3600 * 1000;

/** One key's record in an object's synchronous KV storage, under `name`. */
export class KeyRecords {
  constructor(
    private readonly kv: SyncKvStorage,
    private readonly name = "idempotency_record",
  ) {}

  /** The record, unless past its retention: a key older than that is forgotten. */
  private record(now: number): KeyRecord | undefined {
    const record = this.kv.get<KeyRecord>(this.name);
    if (record && now - record.createdAt >= RETENTION_MS) {
      this.kv.delete(this.name);
      return undefined;
    }
    return record;
  }

  begin(fingerprint: string, lockMs: number, now = Date.now()): Begin {
    const existing = this.record(now);
    if (existing && existing.fingerprint !== fingerprint) return { outcome: "mismatch" };
    if (existing?.state === "done" && existing.status !== undefined && existing.body !== undefined) {
      return { outcome: "replay", status: existing.status, body: existing.body };
    }
    if (existing?.state === "in_flight" && existing.lockExpiresAt > now) {
      return { outcome: "in_flight", retryAfterSeconds: 1 };
    }
    // New, or a lock whose holder died: this request takes over.
    const lockToken = crypto.randomUUID();
    this.kv.put(this.name, {
      fingerprint,
      state: "in_flight",
      lockToken,
      lockExpiresAt: now + lockMs,
      createdAt: existing?.createdAt ?? now,
    } satisfies KeyRecord);
    return { outcome: "execute", lockToken };
  }

  /** Stores the answer of an executed request; ignored if the lock was lost meanwhile. */
  complete(lockToken: string, status: number, body: string): boolean {
    const record = this.kv.get<KeyRecord>(this.name);
    if (!record || record.lockToken !== lockToken) return false;
    this.kv.put(this.name, { ...record, state: "done", status, body } satisfies KeyRecord);
    return true;
  }

  /** Forgets a request that was refused before it executed, so the key can be used again. */
  release(lockToken: string): void {
    const record = this.kv.get<KeyRecord>(this.name);
    if (record?.lockToken === lockToken && record.state === "in_flight") this.kv.delete(this.name);
  }
}
