import type { RoutePlan } from "../../routing/rules";
import type { AttemptOutcome, DeclineReason, PaymentAttempt } from "../model";

/**
 * One authorization attempt as the payment's object keeps it: written before the provider is
 * called (without `outcome`), completed after. An attempt found without an outcome was in flight
 * when its instance died: the provider is asked what became of it, never sent a new attempt blindly.
 */
export interface AttemptRecord {
  seq: number;
  provider: string;
  /** The attempt's idempotency key at the provider: `<payment id>:<seq>`. */
  key: string;
  started_at: string;
  fallback: boolean;
  outcome?: AttemptOutcome;
  decline_reason?: DeclineReason | null;
  latency_ms?: number;
}

/** Where the orchestrator keeps a payment's plan and attempts (the payment object's storage). */
export interface AttemptJournal {
  plan(): RoutePlan | undefined;
  savePlan(plan: RoutePlan): void;
  attempts(): AttemptRecord[];
  saveAttempts(records: AttemptRecord[]): void;
}

export const attemptKey = (paymentId: string, seq: number) => `${paymentId}:${seq}`;

/** The finished attempts as the payment shows them. */
export const attemptsOf = (records: readonly AttemptRecord[]): PaymentAttempt[] =>
  records.flatMap((r) =>
    r.outcome === undefined
      ? []
      : [
          {
            provider: r.provider,
            outcome: r.outcome,
            decline_reason: r.decline_reason ?? null,
            latency_ms: r.latency_ms ?? 0,
            fallback: r.fallback,
          },
        ],
  );

/** A journal over a Durable Object's synchronous KV storage. */
export function kvJournal(kv: SyncKvStorage): AttemptJournal {
  return {
    plan: () => kv.get<RoutePlan>("route_plan"),
    savePlan: (plan) => kv.put("route_plan", plan),
    attempts: () => kv.get<AttemptRecord[]>("attempts") ?? [],
    saveAttempts: (records) => kv.put("attempts", records),
  };
}
