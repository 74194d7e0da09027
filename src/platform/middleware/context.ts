import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import { type Config, type Env, loadConfig } from "../env";
import { isUuid, isWellFormedRequestId, uuidv7 } from "../lib/ids";
import { createLogger } from "../lib/logger";
import { DurableObjectBackend } from "../ratelimit/durable-object";
import { LeasingLimiter } from "../ratelimit/leasing";
import { UpstashBackend } from "../ratelimit/upstash";
import type { AppEnv } from "../types";

// Limiters live as long as the isolate: their leases and Ratelimit instances carry over.
const durableLimiters = new WeakMap<object, LeasingLimiter>();
const upstashLimiters = new Map<string, LeasingLimiter>();

/** The Upstash backend when configured, else the embedded Durable Object limiter. */
function limiterFor(env: Env, config: Config): LeasingLimiter {
  const url = config.UPSTASH_REDIS_REST_URL;
  const token = config.UPSTASH_REDIS_REST_TOKEN;
  if (!url || !token) {
    let limiter = durableLimiters.get(env.RATE_LIMITER);
    if (!limiter) {
      limiter = new LeasingLimiter(new DurableObjectBackend(env.RATE_LIMITER));
      durableLimiters.set(env.RATE_LIMITER, limiter);
    }
    return limiter;
  }
  const id = `${url}|${token}|${config.ENVIRONMENT}|${config.RATE_LIMIT_TIMEOUT_MS}`;
  let limiter = upstashLimiters.get(id);
  if (!limiter) {
    const backend = new UpstashBackend(
      url,
      token,
      `portico:${config.ENVIRONMENT}`,
      config.RATE_LIMIT_TIMEOUT_MS,
    );
    limiter = new LeasingLimiter(backend);
    upstashLimiters.set(id, limiter);
  }
  return limiter;
}

/**
 * First on every request: the request id (accepted from the caller when well-formed),
 * a logger that stamps it on every line, and the request's services. Configuration is
 * validated here, so an invalid configuration refuses every request.
 */
export const requestContext = () =>
  createMiddleware<AppEnv>(async function requestContext(c, next) {
    const started = Date.now();
    c.set("startedAt", started);
    const incoming = c.req.header("X-Request-Id");
    const requestId = incoming && isWellFormedRequestId(incoming) ? incoming : uuidv7();
    c.set("requestId", requestId);
    // The response envelope's id defaults to the request id when that is a UUID: one id, not two.
    if (isUuid(requestId)) c.set("envelopeId", requestId);
    c.header("X-Request-Id", requestId);
    let config: Config;
    try {
      config = loadConfig(c.env);
    } catch (err) {
      // A logger exists before the error handler runs, so a configuration failure is logged too.
      c.set("log", createLogger("info", { request_id: requestId }));
      throw err;
    }
    c.set("log", createLogger(config.LOG_LEVEL, { request_id: requestId }));
    c.set("services", { config, db: createDb(c.env.DB), limiter: limiterFor(c.env, config) });
    await next();
    // One access line per request. The path only: query strings may carry personal data.
    c.get("log").info("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Date.now() - started,
    });
  });
