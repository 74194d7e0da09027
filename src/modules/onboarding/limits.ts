import type { Config } from "../../platform/env";
import { ApiError } from "../../platform/errors";
import type { Logger } from "../../platform/lib/logger";
import type { LeasingLimiter } from "../../platform/ratelimit/leasing";
import { checkRateLimit } from "../../platform/ratelimit/policy";
import type { LimitPolicy } from "../../platform/ratelimit/types";

/**
 * One of the control plane's own limits (registrations and sign-ins per client IP, new
 * verification links per registration) on the platform's limiter, counted before anything is
 * read: 429 with code 40 (the rate) or 41 (the daily quota) and `Retry-After`; 503, code 42, when
 * the limiter cannot answer and the policy is closed.
 */
export async function enforceLimit(
  limiter: LeasingLimiter,
  config: Config,
  policy: LimitPolicy,
  log: Logger,
): Promise<void> {
  const outcome = await checkRateLimit(limiter, policy, config, log);
  if (outcome === "unavailable")
    throw new ApiError("limiter_unavailable", {}, { retryable: true, headers: { "Retry-After": "1" } });
  if (!outcome.allowed) {
    throw new ApiError(
      outcome.refusedBy === "quota" ? "quota_exceeded" : "rate_limited",
      { limit: outcome.limit },
      { retryable: true, headers: { "Retry-After": String(outcome.resetSeconds) } },
    );
  }
}
