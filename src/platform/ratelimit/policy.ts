import type { Config } from "../env";
import { withDeadline } from "../lib/deadline";
import type { Logger } from "../lib/logger";
import type { PartnerProfile } from "../types";
import type { Defer, LeasingLimiter } from "./leasing";
import type { LimitDecision, LimitPolicy } from "./types";

export function policyFor(profile: PartnerProfile): LimitPolicy {
  return {
    key: `${profile.environment}:${profile.id}`,
    limit: profile.limits.requestsPerSecond,
    windowMs: 1000,
    dailyQuota: profile.limits.dailyQuota,
  };
}

export type LimitOutcome = LimitDecision & { degraded?: boolean };

/**
 * Asks the backend with a hard deadline. When the backend is slow or down the
 * configured policy decides: `open` lets the request through (marked `degraded`),
 * `closed` refuses it. Sandbox defaults to open, production to closed.
 */
export async function checkRateLimit(
  limiter: Pick<LeasingLimiter, "name" | "check" | "spendLocal">,
  policy: LimitPolicy,
  config: Pick<Config, "RATE_LIMIT_TIMEOUT_MS" | "RATE_LIMIT_FAILURE_MODE">,
  log: Logger,
  defer?: Defer,
): Promise<LimitOutcome | "unavailable"> {
  // A permit already leased to this isolate needs no I/O, hence no deadline timer.
  const local = limiter.spendLocal(policy, defer);
  if (local) return local;
  try {
    return await withDeadline(limiter.check(policy, defer), config.RATE_LIMIT_TIMEOUT_MS);
  } catch (err) {
    log.warn("rate limiter backend failed", {
      backend: limiter.name,
      error: err instanceof Error ? err.name : "unknown",
      policy: config.RATE_LIMIT_FAILURE_MODE,
    });
    if (config.RATE_LIMIT_FAILURE_MODE === "closed") return "unavailable";
    return {
      allowed: true,
      limit: policy.limit,
      remaining: policy.limit - 1,
      resetSeconds: 1,
      degraded: true,
    };
  }
}
