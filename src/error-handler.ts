import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ConfigError } from "./env";
import { renderError } from "./envelope";
import { ApiError } from "./errors";
import { createLogger } from "./lib/logger";
import { OAuthError } from "./services/oauth";
import type { AppEnv } from "./types";

/** The one error handler: catalogue errors as envelopes, RFC 6749 errors at the token endpoint, code 1 otherwise. */
export function handleError(err: Error, c: Context<AppEnv>) {
  const log = c.var.log ?? createLogger("info", { request_id: c.var.requestId });
  if (err instanceof ApiError) {
    if (err.status >= 500) log.error("request refused", { code: err.code, reason: err.reason });
    return renderError(c, err);
  }
  if (err instanceof OAuthError) {
    if (err.error === "invalid_client") c.header("WWW-Authenticate", 'Basic realm="portico"');
    c.header("Cache-Control", "no-store");
    return c.json({ error: err.error, error_description: err.description }, err.status);
  }
  if (err instanceof ConfigError) {
    log.error("configuration invalid: refusing requests", { error: err.message });
    return renderError(c, new ApiError("service_unavailable"));
  }
  if (err instanceof HTTPException && err.status === 413) {
    return renderError(c, new ApiError("payload_too_large", { limit: "1048576" }));
  }
  // Never the message of an unknown error to the client: it may carry internals.
  log.error("unhandled error", { error: err.name, message: err.message, stack: err.stack });
  return renderError(c, new ApiError("unknown"));
}
