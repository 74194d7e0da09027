import { createMiddleware } from "hono/factory";
import type { Product } from "../catalog";
import { ApiError } from "../errors";
import { withDeadline } from "../lib/deadline";
import { blockingWindow, secondsToEnd } from "../ratelimit/plan-quota";
import type { AppEnv } from "../types";

/**
 * A plan's blocking overage (code 170): under `overage: block`, a product's call past its
 * included calls is refused at once, in every isolate. The count lives in the partner's limiter
 * object (one per partner and environment), keyed by the period's start, so it is shared and
 * atomic. A partner whose plan does not block this product never leaves the isolate here.
 * A refusal carries code 170, which the metering classifies as `refused` (not billable).
 */
export const planQuota = (product: Product | null) =>
  createMiddleware<AppEnv>(async function planQuota(c, next) {
    const partner = c.get("partner");
    const now = Date.now();
    const blocking = blockingWindow(partner.planQuota ?? null, product, now);
    if (!blocking) return next();
    const { config } = c.get("services");
    const ns = c.env.RATE_LIMITER;
    let grant: { allowed: boolean; used: number };
    try {
      grant = await withDeadline(
        ns
          .get(ns.idFromName(`${partner.environment}:${partner.id}`))
          .takePlanCall(product as string, blocking.window.start, blocking.included),
        config.RATE_LIMIT_TIMEOUT_MS,
      );
    } catch (err) {
      c.get("log").warn("plan quota counter failed", {
        error: err instanceof Error ? err.name : "unknown",
        policy: config.RATE_LIMIT_FAILURE_MODE,
      });
      if (config.RATE_LIMIT_FAILURE_MODE === "closed")
        throw new ApiError("limiter_unavailable", {}, { retryable: true, headers: { "Retry-After": "1" } });
      return next();
    }
    if (!grant.allowed) {
      throw new ApiError(
        "plan_quota_exhausted",
        { included: blocking.included, product: product as string, period_end: blocking.window.end },
        { retryable: true, headers: { "Retry-After": String(secondsToEnd(blocking.window, now)) } },
      );
    }
    await next();
  });
