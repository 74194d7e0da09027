import type { Config } from "../../../platform/env";
import { SandboxPaymentProvider } from "./sandbox";
import type { PaymentProvider } from "./types";

/**
 * The payment processor for this environment. The sandbox gets the simulator; production
 * has no acquirer connector yet and refuses to start one rather than simulate money.
 */
export function paymentProviderFor(config: Config): PaymentProvider {
  if (config.ENVIRONMENT !== "sandbox") throw new Error("no payment provider is configured for production");
  return new SandboxPaymentProvider(config.ISSUER, config.WEBHOOK_SECRETS_KEY);
}
