import { env } from "cloudflare:workers";
import { journalEntries } from "../../../src/modules/ledger/storage";
import { paymentAttempts, refunds } from "../../../src/modules/payments/storage";
import { webhookAttempts, webhookDeliveries } from "../../../src/modules/webhooks/storage";
import type { CronContext } from "../../../src/platform/cron";
import { events } from "../../../src/platform/db/schema";
import { loadConfig } from "../../../src/platform/env";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { createLogger } from "../../../src/platform/lib/logger";
import { db } from "../../support/partners";

/** A test's own provider name, so its figures are its own whatever else the database holds. */
export const providerName = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;

export interface AttemptSeed {
  paymentId?: string;
  seq?: number;
  provider: string;
  outcome: "authorized" | "requires_action" | "pending" | "declined" | "error" | "timeout";
  declineReason?: string;
  latencyMs: number;
  method?: string;
  binCountry?: string | null;
  at: string;
}

/** One attempt row as the payment object writes it (migrations/0039_payment_attempts.sql). */
export async function attempt(partnerId: string, a: AttemptSeed) {
  const paymentId = a.paymentId ?? crypto.randomUUID();
  const seq = a.seq ?? 1;
  await db.insert(paymentAttempts).values({
    id: uuidv7(),
    paymentId,
    partnerId,
    seq,
    provider: a.provider,
    outcome: a.outcome,
    declineReason: a.declineReason ?? null,
    fallback: seq > 1 ? 1 : 0,
    latencyMs: a.latencyMs,
    method: a.method ?? "card",
    cardBrand: "visa",
    binCountry: a.binCountry === undefined ? "UZ" : a.binCountry,
    currency: "UZS",
    amount: 10_000,
    createdAt: a.at,
  });
  return paymentId;
}

/** `n` attempts of `outcome` at `at`, each its own payment. */
export async function attempts(partnerId: string, n: number, a: AttemptSeed) {
  for (let i = 0; i < n; i += 1) await attempt(partnerId, a);
}

export async function refund(partnerId: string, paymentId: string, at: string) {
  await db
    .insert(refunds)
    .values({ id: crypto.randomUUID(), partnerId, paymentId, objectName: paymentId, createdAt: at });
}

/** A ledger entry of kind `dispute`, as the disputes part posts one when a dispute opens. */
export async function dispute(partnerId: string, at: string) {
  await db.insert(journalEntries).values({
    id: crypto.randomUUID(),
    reference: crypto.randomUUID(),
    kind: "dispute",
    currency: "UZS",
    partnerId,
    amount: 10_000,
    createdAt: at,
  });
}

/** An event created at `at` and its delivery to one endpoint, with attempts (ms after the event, status). */
export async function delivered(
  partnerId: string,
  at: string,
  status: "pending" | "succeeded" | "failed",
  tries: { afterMs: number; code: number | null }[],
) {
  const eventId = uuidv7();
  const endpointId = crypto.randomUUID();
  const deliveryId = uuidv7();
  await db.insert(events).values({
    id: eventId,
    partnerId,
    type: "payment.succeeded",
    livemode: false,
    data: "{}",
    createdAt: at,
  });
  await db.insert(webhookDeliveries).values({
    id: deliveryId,
    eventId,
    endpointId,
    partnerId,
    status,
    attempts: tries.length,
    createdAt: at,
    updatedAt: at,
  });
  for (const [i, t] of tries.entries())
    await db.insert(webhookAttempts).values({
      id: uuidv7(),
      deliveryId,
      eventId,
      endpointId,
      attemptedAt: new Date(Date.parse(at) + t.afterMs).toISOString(),
      statusCode: t.code,
      latencyMs: 10,
      error: t.code === null ? "timeout" : null,
      outcome:
        t.code !== null && t.code < 300
          ? "succeeded"
          : i === tries.length - 1 && status === "failed"
            ? "failed"
            : "retry",
    });
}

/** The cron's context at an explicit `now`: what the scheduled handler gives each job. */
export const cronAt = (now: number): CronContext => {
  const config = loadConfig(env);
  return { env, config, db, log: createLogger("error"), now };
};
