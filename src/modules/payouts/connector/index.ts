import type { Config } from "../../../platform/env";
import { SandboxPayoutProvider } from "./sandbox";
import type { PayoutProvider } from "./types";

/**
 * The transfer rails for this environment. The sandbox gets the simulator; production has
 * no rails connector yet and refuses to start one rather than simulate money.
 */
export function payoutProviderFor(config: Config): PayoutProvider {
  if (config.ENVIRONMENT !== "sandbox") throw new Error("no payout provider is configured for production");
  return new SandboxPayoutProvider();
}
