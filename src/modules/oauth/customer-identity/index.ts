import type { Config } from "../../../platform/env";
import { upstreamFor } from "../../../platform/upstream";
import { HttpCustomerIdentity } from "./http";
import { SandboxCustomerIdentity } from "./sandbox";
import type { CustomerIdentityConnector } from "./types";

/**
 * The bank's customer identity system for this environment: over HTTP when `UPSTREAM_URLS`
 * names the `customer_identity` system; else the sandbox's test customers, which production
 * refuses (code 91).
 */
export function customerIdentityFor(config: Config): CustomerIdentityConnector {
  const upstream = upstreamFor(config, "customer_identity");
  return upstream ? new HttpCustomerIdentity(upstream) : new SandboxCustomerIdentity();
}
