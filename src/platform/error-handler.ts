import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ConfigError } from "./env";
import { renderError } from "./envelope";
import { ApiError, type ErrorName } from "./errors";
import { createLogger, type Logger } from "./lib/logger";
import { MAX_BODY_BYTES, mediaTypeOf } from "./middleware/json-body";
import { OAuthError } from "./oauth-error";
import type { AppEnv } from "./types";

/** The one error handler: catalogue errors as envelopes, RFC 6749 errors at the token endpoint, code 1 otherwise. */
export function handleError(err: Error, c: Context<AppEnv>) {
  const log = c.get("log") ?? createLogger("info", { request_id: c.get("requestId") });
  if (err instanceof ApiError) {
    if (err.status >= 500) log.error("request refused", { code: err.code, reason: err.reason });
    return renderError(c, err);
  }
  if (err instanceof OAuthError) {
    if (err.error === "invalid_client") c.header("WWW-Authenticate", 'Basic realm="portico"');
    for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
    c.header("Cache-Control", "no-store");
    const code = err.code === undefined ? {} : { code: err.code };
    return c.json({ error: err.error, error_description: err.description, ...code }, err.status);
  }
  if (err instanceof ConfigError) {
    log.error("configuration invalid: refusing requests", { error: err.message });
    return renderError(c, new ApiError("service_unavailable"));
  }
  if (err instanceof HTTPException) return renderError(c, fromHttpException(err, c, log));
  // Never the message of an unknown error to the client: it may carry internals.
  log.error("unhandled error", { error: err.name, message: err.message, stack: err.stack });
  return renderError(c, new ApiError("unknown"));
}

/** What Hono's own refusals (validators, the media-type gate, body limits) mean in the catalogue. */
const HTTP_EXCEPTION_REASONS: Partial<Record<number, ErrorName>> = {
  400: "invalid_json",
  401: "unauthenticated",
  404: "route_not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

/** Every HTTPException as a catalogue error; its message is a library's, never shown. */
function fromHttpException(err: HTTPException, c: Context<AppEnv>, log: Logger): ApiError {
  const reason = HTTP_EXCEPTION_REASONS[err.status] ?? (err.status >= 500 ? "unknown" : "bad_request");
  if (err.status >= 500) log.error("HTTPException", { status: err.status, message: err.message });
  return new ApiError(reason, {
    limit: MAX_BODY_BYTES,
    content_type: mediaTypeOf(c.req.header("Content-Type")) || "(none)",
    method: c.req.method,
    path: c.req.path,
    allowed: "",
    detail: `HTTP ${err.status}`,
  });
}
