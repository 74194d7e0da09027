import type { ProviderHealth } from "../../../../durable-objects/provider-health";
import type { Db } from "../../../platform/db/client";
import type { Config } from "../../../platform/env";
import { planRoute, type RoutePlan } from "../../routing/rules";
import { findRouting } from "../../routing/storage";
import { defaultPriority, providersFor } from "../connector";
import { declineOf } from "../connector/sandbox";
import type { PaymentMethod } from "../connector/types";
import type { CreatePaymentInput, Payment } from "../model";
import type { paymentAttempts } from "../storage";
import { paymentFrom } from "../transitions";
import type { Routed, RoutedDeps } from "./authorize";
import { breakerSettings, objectHealth } from "./health";
import { type AttemptRecord, attemptsOf, kvJournal } from "./journal";

export { authorizeRouted } from "./authorize";

/** The route of a payment: the partner's rules (D1), its default order, else the environment's. */
export async function routeFor(db: Db, config: Config, input: CreatePaymentInput): Promise<RoutePlan> {
  const row = await findRouting(db, input.partnerId);
  return planRoute(row?.rules ?? [], row?.defaultPriority ?? null, defaultPriority(config), {
    paymentId: input.paymentId,
    amount: input.amount,
    currency: input.currency,
    signals: input.signals,
  });
}

/** What `authorizeRouted` needs inside a payment's object: its storage is the journal. */
export function routedDeps(
  config: Config,
  db: Db,
  health: DurableObjectNamespace<ProviderHealth>,
  kv: SyncKvStorage,
  input: CreatePaymentInput,
): RoutedDeps {
  return {
    providers: providersFor(config, db),
    health: objectHealth(health, config.ENVIRONMENT, breakerSettings(config)),
    journal: kvJournal(kv),
    route: () => routeFor(db, config, input),
    clock: Date.now,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
  };
}

/** The method as known before authorization, for a payment no provider answered. */
function methodOf(input: CreatePaymentInput): PaymentMethod {
  const card = input.signals.card;
  if (card) return { type: "card", card: { brand: card.brand, first6: card.first6, last4: card.last4 } };
  return input.signals.method === "bank_redirect" ? { type: "bank_redirect" } : { type: "qr" };
}

/** The new payment as its route left it; no answer at all is a retryable `bank_unavailable` failure. */
export function routedPayment(
  input: CreatePaymentInput,
  routed: Extract<Routed, { outcome: "routed" }>,
): Payment {
  const attempts = attemptsOf(routed.attempts);
  if (routed.result) return { ...paymentFrom(input, routed.provider, routed.result), attempts };
  const failed = paymentFrom(input, routed.provider, {
    outcome: "declined",
    providerReference: "",
    method: methodOf(input),
    decline: declineOf("bank_unavailable"),
  });
  return { ...failed, provider_reference: null, attempts };
}

/** The payment's attempts as D1 rows (`payment_attempts`), for operational metrics. */
export function attemptRows(
  input: CreatePaymentInput,
  records: readonly AttemptRecord[],
): (typeof paymentAttempts.$inferInsert)[] {
  const card = input.signals.card;
  return records.flatMap((r) =>
    r.outcome === undefined
      ? []
      : [
          {
            id: r.key,
            paymentId: input.paymentId,
            partnerId: input.partnerId,
            seq: r.seq,
            provider: r.provider,
            outcome: r.outcome,
            declineReason: r.decline_reason ?? null,
            fallback: r.fallback ? 1 : 0,
            latencyMs: r.latency_ms ?? 0,
            method: input.signals.method,
            cardBrand: card?.brand ?? null,
            binCountry: card?.country ?? null,
            currency: input.currency,
            amount: input.amount,
            createdAt: r.started_at,
          },
        ],
  );
}
