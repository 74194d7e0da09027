import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import { renderedText } from "../../platform/envelope";
import { ApiError } from "../../platform/errors";
import { uuidv7 } from "../../platform/lib/ids";
import { redactText } from "../../platform/lib/logger";
import { VERSION_HEADER } from "../../platform/middleware/api-version";
import type { AppEnv } from "../../platform/types";
import { CURRENT_VERSION, findVersion, isKnownVersion } from "../../platform/versions/registry";
import type { AnsweredCall } from "./answered";
import { isLogRead, MAX_PATH_CHARS, productOf } from "./model";
import { type CapturedRequest, recordRequest } from "./recording";

/** The template of the route that answered: the last matched endpoint, never middleware. */
function routeTemplate(c: Context<AppEnv>): string | null {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    if (route && route.method !== "ALL" && !route.path.includes("*")) return route.path;
  }
  return null;
}

/** The answer's text, read from a copy (the original goes to the caller); only JSON and text answers. */
export function sentText(c: Context<AppEnv>): Promise<string | undefined> | string | undefined {
  const rendered = renderedText(c.res);
  if (rendered !== undefined) return rendered;
  const type = c.res.headers.get("Content-Type") ?? "";
  if (!type.includes("json") && !type.startsWith("text/")) return undefined;
  return c.res.clone().text();
}

// One capture per request context, whoever asks first: the request log's row or the metering's count.
const captured = new WeakMap<Context<AppEnv>, AnsweredCall>();

/** The call as answered (after `next()`): captured once per request. */
export function answeredCall(c: Context<AppEnv>): AnsweredCall {
  let call = captured.get(c);
  if (call) return call;
  const route = routeTemplate(c);
  const status = c.res.status;
  const thrown = c.error instanceof ApiError ? c.error.code : undefined;
  call = {
    route,
    product: productOf(route ?? c.req.path),
    status,
    ...(thrown !== undefined ? { thrown } : {}),
    ...(status >= 400 && thrown === undefined ? { sent: sentText(c) } : {}),
    replayed: c.res.headers.get("Idempotent-Replayed") === "true",
  };
  captured.set(c, call);
  return call;
}

/** The version the request was served at: set by the version layer, else what it would have been. */
function versionOf(c: Context<AppEnv>): string {
  const settled = c.get("apiVersion");
  if (settled !== undefined) return settled;
  const asked = c.req.header(VERSION_HEADER);
  if (asked !== undefined && isKnownVersion(asked)) return asked;
  return findVersion(c.get("partner").apiVersion)?.date ?? CURRENT_VERSION;
}

/** Everything the row needs from the context, taken now: the work after the answer reads no context. */
function capture(c: Context<AppEnv>, environment: "sandbox" | "production"): CapturedRequest {
  const startedAt = c.get("startedAt");
  const { route, product, status, thrown, sent } = answeredCall(c);
  // The sandbox keeps bodies, except of the log's own reads (a log of logs).
  const keepBodies = environment === "sandbox" && !isLogRead(product);
  const key = c.get("idempotencyKey") as string | undefined;
  return {
    row: {
      id: uuidv7(startedAt),
      partnerId: c.get("partner").id,
      requestId: c.get("requestId"),
      time: new Date(startedAt).toISOString(),
      method: c.req.method,
      route,
      path: redactText(c.req.path).slice(0, MAX_PATH_CHARS),
      product,
      status,
      latencyMs: Math.max(0, Date.now() - startedAt),
      idempotencyKey: key === undefined ? null : redactText(key),
      apiVersion: versionOf(c),
      clientId: c.get("caller").clientId,
    },
    ...(thrown !== undefined ? { errorCode: thrown } : {}),
    ...(sent !== undefined ? { sent } : keepBodies ? { sent: sentText(c) } : {}),
    ...(keepBodies
      ? {
          bodies: {
            request: c.get("requestText"),
            replay: c.get("replayBody"),
            licensed: c.get("partner").dataAccess,
          },
        }
      : {}),
  };
}

/**
 * The partners' request log (docs/usage.md): right after authentication on /v1, so it sees every
 * call of a known partner and its final answer, refusals included. A refusal thrown further in has
 * already become its error answer (`c.res`) when `next()` returns here: Hono's compose hands every
 * thrown error to `app.onError` where it was thrown. The row is written after the answer, through
 * `waitUntil`, in one D1 batch with the isolate's other rows of the same REQUEST_LOG_BATCH_MS; the
 * answer waits for nothing but the copy of its own text.
 */
export const recordRequests = () =>
  createMiddleware<AppEnv>(async function recordRequests(c, next) {
    await next();
    const { config, db } = c.get("services");
    if (!config.REQUEST_LOG) return;
    const log = c.get("log");
    let work: Promise<void>;
    try {
      work = recordRequest(db, capture(c, config.ENVIRONMENT), log, config.REQUEST_LOG_BATCH_MS);
    } catch (err) {
      log.warn("request not recorded", { error: err instanceof Error ? err.name : "unknown" });
      return;
    }
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // No execution context (the app called directly, as some tests do): the write runs on its own.
    }
  });
