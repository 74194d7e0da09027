import type { Config } from "../../../platform/env";
import { upstreamFor } from "../../../platform/upstream";
import { HttpAccountsConnector } from "./http";
import { SandboxAccountsConnector } from "./sandbox";
import type { AccountsConnector } from "./types";

/**
 * Core banking for this environment: over HTTP when `UPSTREAM_URLS` names the `accounts`
 * system; else the sandbox simulator, which production refuses (code 91).
 */
export function accountsConnectorFor(config: Config): AccountsConnector {
  const upstream = upstreamFor(config, "accounts");
  return upstream ? new HttpAccountsConnector(upstream) : new SandboxAccountsConnector(config.ISSUER);
}
