import type { Config } from "../../../platform/env";
import { upstreamFor } from "../../../platform/upstream";
import { HttpKycConnector } from "./http";
import { SandboxKycConnector } from "./sandbox";
import type { KycConnector } from "./types";

/**
 * The bank's customer records for this environment: over HTTP when `UPSTREAM_URLS` names
 * the `kyc` system; else the sandbox simulator, which production refuses (code 91).
 */
export function kycConnectorFor(config: Config): KycConnector {
  const upstream = upstreamFor(config, "kyc");
  return upstream ? new HttpKycConnector(upstream) : new SandboxKycConnector();
}
