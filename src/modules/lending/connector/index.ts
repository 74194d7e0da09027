import type { Config } from "../../../platform/env";
import { upstreamFor } from "../../../platform/upstream";
import { HttpScoring } from "./http";
import { SandboxScoring } from "./sandbox";
import type { ScoringConnector } from "./types";

/**
 * The scoring system for this environment: over HTTP when `UPSTREAM_URLS` names `scoring`,
 * else the sandbox simulator; production without one refuses with 91 (never simulates).
 */
export function scoringFor(config: Config): ScoringConnector {
  const upstream = upstreamFor(config, "scoring");
  return upstream ? new HttpScoring(upstream) : new SandboxScoring();
}
