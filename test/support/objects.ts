import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { MODULES } from "../../src/modules";
import { paymentObjectName } from "../../src/modules/payments/payments";
import { payoutObjectName } from "../../src/modules/payouts/payouts";
import { idempotencyObjectName } from "../../src/platform/middleware/idempotency";

// The Durable Objects a request creates, found as the gateway under test finds them: by the
// names the source gives them, in this test environment. Each call answers a fresh stub (a stub
// taken before an object was aborted stays broken after it).

/** The name of the payment object created by the partner's request under `key`. */
export const paymentName = (partnerId: string, key: string) =>
  paymentObjectName(env.ENVIRONMENT, partnerId, key);

/** The name of the payout object created by the partner's request under `key`. */
export const payoutName = (partnerId: string, key: string) =>
  payoutObjectName(env.ENVIRONMENT, partnerId, key);

export const paymentObject = (partnerId: string, key: string) =>
  env.PAYMENTS.get(env.PAYMENTS.idFromName(paymentName(partnerId, key)));

export const payoutObject = (partnerId: string, key: string) =>
  env.PAYOUTS.get(env.PAYOUTS.idFromName(payoutName(partnerId, key)));

/** The object that keeps the partner's Idempotency-Key `key`. */
export const idempotencyObject = (partnerId: string, key: string) =>
  env.IDEMPOTENCY.get(env.IDEMPOTENCY.idFromName(idempotencyObjectName(env.ENVIRONMENT, partnerId, key)));

/**
 * The object that keeps the partner's Idempotency-Key `key` for a POST to `path`, as the gateway
 * picks it: the created object itself where its module keeps its create's key there (payments,
 * payouts), else the generic key object.
 */
export function keyHolder(path: string, partnerId: string, key: string) {
  const own = MODULES.flatMap((m) => m.ownKeys ?? []).find((o) => o.path === path);
  return own
    ? own.store(env, { environment: env.ENVIRONMENT, partnerId, key })
    : idempotencyObject(partnerId, key);
}

/** A payment or payout object: both drain a transactional outbox from their alarm. */
export type OutboxObject = { pendingOutbox(): Promise<number> } & DurableObjectStub;

/**
 * Runs the object's alarm until its outbox is empty, and checks that it is. The alarm also runs
 * on its own: while it is mid-run there is no alarm to run by hand (`runDurableObjectAlarm`
 * answers false), so wait for it and look again.
 */
export async function drain(stub: OutboxObject) {
  for (let i = 0; i < 50 && (await stub.pendingOutbox()) > 0; i++) {
    if (!(await runDurableObjectAlarm(stub))) await new Promise((r) => setTimeout(r, 20));
  }
  expect(await stub.pendingOutbox()).toBe(0);
}
