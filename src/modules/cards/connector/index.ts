import type { Config } from "../../../platform/env";
import { upstreamFor } from "../../../platform/upstream";
import { HttpCardSystem } from "./http";
import { SandboxCardSystem } from "./sandbox";
import type { CardSystem } from "./types";

/**
 * The card system for this environment: the bank's over HTTP when `UPSTREAM_URLS` names
 * `cards`, else the sandbox simulator. Production without one refuses (code 91).
 */
export function cardSystemFor(config: Config): CardSystem {
  const upstream = upstreamFor(config, "cards");
  return upstream ? new HttpCardSystem(upstream) : new SandboxCardSystem();
}
