import type { Config } from "../../../platform/env";
import { upstreamFor } from "../../../platform/upstream";
import { HttpRates } from "./http";
import { SandboxRates } from "./sandbox";
import type { RatesSource } from "./types";

/**
 * Where rates come from in this environment: the treasury over HTTP when `UPSTREAM_URLS`
 * names `fx`, else the sandbox table; production without one refuses with 91.
 */
export function ratesFor(config: Config): RatesSource {
  const upstream = upstreamFor(config, "fx");
  return upstream ? new HttpRates(upstream) : new SandboxRates();
}
