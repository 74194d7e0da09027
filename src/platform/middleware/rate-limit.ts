import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors";
import { checkRateLimit, policyFor } from "../ratelimit/policy";
import type { AppEnv } from "../types";

/** Per partner, across all its keys: `RateLimit-*` on every authenticated /v1 response. */
export const rateLimit = () =>
  createMiddleware<AppEnv>(async function rateLimit(c, next) {
    const { config, limiter } = c.get("services");
    // A lease renewed ahead of need outlives this request: the runtime keeps it until it lands.
    const defer = (work: Promise<unknown>) => {
      try {
        c.executionCtx.waitUntil(work);
      } catch {
        // No execution context (the app called directly, as some tests do): the promise still runs.
      }
    };
    const outcome = await checkRateLimit(limiter, policyFor(c.get("partner")), config, c.get("log"), defer);
    if (outcome === "unavailable") {
      throw new ApiError("limiter_unavailable", {}, { retryable: true, headers: { "Retry-After": "1" } });
    }
    c.header("RateLimit-Limit", String(outcome.limit));
    c.header("RateLimit-Remaining", String(outcome.remaining));
    c.header("RateLimit-Reset", String(outcome.resetSeconds));
    if (!outcome.allowed) {
      const reason = outcome.refusedBy === "quota" ? "quota_exceeded" : "rate_limited";
      throw new ApiError(
        reason,
        { limit: outcome.limit },
        { retryable: true, headers: { "Retry-After": String(outcome.resetSeconds) } },
      );
    }
    await next();
  });
