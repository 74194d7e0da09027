import type { Env } from "./env";

// Where an Idempotency-Key's record lives, as the idempotency middleware and the Durable Objects
// that keep records (durable-objects/key-record.ts holds the rules) both see it.

/** What a key's first sight answers (durable-objects/key-record.ts keeps the rules). */
export type Begin =
  | { outcome: "execute"; lockToken: string }
  | { outcome: "replay"; status: number; body: string }
  | { outcome: "mismatch" }
  | { outcome: "in_flight"; retryAfterSeconds: number };

/** Where an Idempotency-Key's record lives: the generic key object, or the object the keyed create makes. */
export interface KeyStore {
  begin(fingerprint: string, lockMs: number): Promise<Begin>;
  complete(lockToken: string, status: number, body: string): Promise<boolean>;
  release(lockToken: string): Promise<void>;
}

/**
 * A create whose object keeps its own key (a payment, a payout): `POST path` stores its key in
 * the object it creates, named from the same scope, so the create touches one object, not two.
 */
export interface OwnKeyStore {
  path: string;
  store(env: Env, scope: { environment: string; partnerId: string; key: string }): KeyStore;
}
