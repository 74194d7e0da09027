import type {
  BreakerSettings,
  BreakerView,
  ProviderHealth,
} from "../../../../durable-objects/provider-health";
import type { Config } from "../../../platform/env";

/** The providers' circuit breakers as the orchestrator sees them. */
export interface Health {
  /** May an attempt go to `provider` now? A half-open answer is the one probe. */
  check(provider: string, now: number): Promise<BreakerView>;
  /** Whether the provider answered (a decline is an answer) or failed to. */
  record(provider: string, ok: boolean, now: number): Promise<void>;
}

export const breakerSettings = (config: Config): BreakerSettings => ({
  threshold: config.PROVIDER_BREAKER_THRESHOLD,
  cooldownMs: config.PROVIDER_BREAKER_COOLDOWN_MS,
});

/** The name of a provider's breaker object: one per provider and environment. */
export const healthObjectName = (environment: string, provider: string) => `${environment}:${provider}`;

const CLOSED: BreakerView = { state: "closed", failures: 0, lastFailureAt: null, openUntil: null };

/**
 * The breakers kept in `ProviderHealth` objects, shared by all isolates. If a breaker cannot be
 * read the provider is treated as closed: health only ever skips a provider, it never blocks a payment.
 */
export function objectHealth(
  namespace: DurableObjectNamespace<ProviderHealth>,
  environment: string,
  settings: BreakerSettings,
): Health {
  const stub = (provider: string) =>
    namespace.get(namespace.idFromName(healthObjectName(environment, provider)));
  return {
    async check(provider, now) {
      try {
        return await stub(provider).check(now, settings);
      } catch {
        return CLOSED;
      }
    },
    async record(provider, ok, now) {
      try {
        await stub(provider).record(ok, now, settings);
      } catch {
        // A lost health record only delays the breaker; the payment goes on.
      }
    },
  };
}
