import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors";
import { checkRateLimit, policyFor } from "../ratelimit/policy";
import type { AppEnv } from "../types";

/** Per partner, across all its keys: `RateLimit-*` on every authenticated /v1 response. */
export const rateLimit = () =>
  createMiddleware<AppEnv>(async function rateLimit(c, next) {
    const { config, limiter } = c.var.services;
    const outcome = await checkRateLimit(limiter, policyFor(c.var.partner), config, c.var.log);
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
