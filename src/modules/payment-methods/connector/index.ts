import type { Config } from "../../../platform/env";
import { SandboxCardVault } from "./sandbox";
import type { CardVault } from "./types";

/**
 * The card vault for this environment. The sandbox gets the test-number vault; production has
 * no vault connector yet and refuses to start one rather than keep real cards anywhere else.
 */
export function cardVaultFor(config: Config): CardVault {
  if (config.ENVIRONMENT !== "sandbox") throw new Error("no card vault is configured for production");
  return new SandboxCardVault();
}
