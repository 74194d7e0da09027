import type { Db } from "../../../platform/db/client";
import type { Config } from "../../../platform/env";
import { HttpAcquirerProvider } from "./http";
import { SandboxPaymentProvider } from "./sandbox";
import { SandboxBPaymentProvider } from "./sandbox-b";
import type { PaymentProvider } from "./types";

/** Every provider name a routing rule may name, in any environment. */
export const PROVIDER_NAMES = ["sandbox", "sandbox_b", "http"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * The acquirers this environment can reach, by name (docs/orchestration.md): the sandbox has both
 * simulators and `http` when its URL is set; production has only what is configured (`http`), never
 * a simulator.
 */
export function providersFor(config: Config, db: Db): Map<string, PaymentProvider> {
  const providers = new Map<string, PaymentProvider>();
  if (config.ENVIRONMENT === "sandbox") {
    providers.set("sandbox", new SandboxPaymentProvider(config.ISSUER, config.WEBHOOK_SECRETS_KEY));
    providers.set("sandbox_b", new SandboxBPaymentProvider(db, config.ISSUER, config.WEBHOOK_SECRETS_KEY));
  }
  if (config.ACQUIRER_HTTP_URL && config.ACQUIRER_HTTP_SECRET) {
    providers.set(
      "http",
      new HttpAcquirerProvider({
        baseUrl: config.ACQUIRER_HTTP_URL,
        secret: config.ACQUIRER_HTTP_SECRET,
        timeoutMs: config.PROVIDER_TIMEOUT_MS,
      }),
    );
  }
  return providers;
}

/** The names `providersFor` answers, without making the providers. */
export function providerNamesFor(config: Config): ProviderName[] {
  const names: ProviderName[] = config.ENVIRONMENT === "sandbox" ? ["sandbox", "sandbox_b"] : [];
  if (config.ACQUIRER_HTTP_URL && config.ACQUIRER_HTTP_SECRET) names.push("http");
  return names;
}

/** The environment's order when a partner has no rule that matches and no default of its own. */
export function defaultPriority(config: Config): ProviderName[] {
  return config.ENVIRONMENT === "sandbox" ? ["sandbox", "sandbox_b"] : ["http"];
}

/**
 * The provider that holds a payment's authorization: later captures, voids, refunds and 3-D
 * Secure results go to it, whatever the rules say now.
 */
export function providerNamed(config: Config, db: Db, name: string): PaymentProvider {
  const provider = providersFor(config, db).get(name);
  if (!provider) throw new Error(`payment provider ${name} is not configured in this environment`);
  return provider;
}
