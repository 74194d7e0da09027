import { createMiddleware } from "hono/factory";
import { createDb } from "../db/client";
import { type Config, type Env, loadConfig } from "../env";
import { isWellFormedRequestId, uuidv7 } from "../lib/ids";
import { createLogger } from "../lib/logger";
import { DurableObjectBackend } from "../ratelimit/durable-object";
import type { RateLimitBackend } from "../ratelimit/types";
import { UpstashBackend } from "../ratelimit/upstash";
import type { AppEnv } from "../types";

const upstashBackends = new Map<string, UpstashBackend>();

/** The Upstash backend when configured, else the embedded Durable Object limiter. */
function limiterFor(env: Env, config: Config): RateLimitBackend {
  const url = config.UPSTASH_REDIS_REST_URL;
  const token = config.UPSTASH_REDIS_REST_TOKEN;
  if (!url || !token) return new DurableObjectBackend(env.RATE_LIMITER);
  const id = `${url}|${config.ENVIRONMENT}|${config.RATE_LIMIT_TIMEOUT_MS}`;
  let backend = upstashBackends.get(id);
  if (!backend) {
    backend = new UpstashBackend(url, token, `portico:${config.ENVIRONMENT}`, config.RATE_LIMIT_TIMEOUT_MS);
    upstashBackends.set(id, backend);
  }
  return backend;
}

/**
 * First on every request: the request id (accepted from the caller when well-formed),
 * a logger that stamps it on every line, and the request's services. Configuration is
 * validated here, so an invalid configuration refuses every request.
 */
export const requestContext = () =>
  createMiddleware<AppEnv>(async function requestContext(c, next) {
    const incoming = c.req.header("X-Request-Id");
    const requestId = incoming && isWellFormedRequestId(incoming) ? incoming : uuidv7();
    c.set("requestId", requestId);
    c.header("X-Request-Id", requestId);
    // A logger exists before configuration is read, so a configuration failure is logged too.
    c.set("log", createLogger("info", { request_id: requestId }));
    const config = loadConfig(c.env);
    c.set("log", createLogger(config.LOG_LEVEL, { request_id: requestId }));
    c.set("services", { config, db: createDb(c.env.DB), limiter: limiterFor(c.env, config) });
    const started = Date.now();
    await next();
    // One access line per request. The path only: query strings may carry personal data.
    c.var.log.info("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Date.now() - started,
    });
  });
