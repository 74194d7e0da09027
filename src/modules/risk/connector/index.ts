import type { Config } from "../../../platform/env";
import { HttpUpstream } from "../../../platform/upstream";
import { HttpScoringConnector } from "./http";
import { SandboxScoringConnector } from "./sandbox";
import type { ScoringConnector } from "./types";

export type { ScoreRequest, ScoringConnector } from "./types";

/**
 * The scoring service for this environment: over HTTP when `UPSTREAM_URLS` names `scoring`
 * (one attempt, no retry: the partner's timeout bounds the whole call); else the sandbox
 * simulator. Production without a scoring service has none: every score is `failed`, and the
 * partner's fallback applies where a rule needs one.
 */
export function scoringConnectorFor(config: Config, timeoutMs: number): ScoringConnector | undefined {
  const baseUrl = config.UPSTREAM_URLS.scoring;
  if (baseUrl)
    return new HttpScoringConnector(
      new HttpUpstream({
        system: "scoring",
        baseUrl,
        token: config.UPSTREAM_TOKENS.scoring,
        timeoutMs,
        retries: 0,
      }),
    );
  return config.ENVIRONMENT === "production" ? undefined : new SandboxScoringConnector();
}
