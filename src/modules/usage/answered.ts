import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import { renderedText } from "../../platform/envelope";
import { ApiError } from "../../platform/errors";
import type { AppEnv } from "../../platform/types";
import { type LogProduct, productOf } from "./model";

/**
 * What a /v1 call was and how it ended, taken once from the context after the answer: the request
 * log's row and the metering's count both read it (the first to ask captures it, the other reuses it).
 */
export interface AnsweredCall {
  /** The template of the route that answered (`/v1/payments/:id`), null when none matched. */
  route: string | null;
  product: LogProduct;
  status: number;
  /** The error's code when an ApiError was thrown; otherwise read from `sent` when the answer is an error. */
  thrown?: number;
  /** The answer's text, read from a copy, when it is an error nobody threw (its code is in the text). */
  sent?: Promise<string | undefined> | string;
  /** Answered by the idempotency layer from its store (`Idempotent-Replayed: true`). */
  replayed: boolean;
}

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

/** The envelope's `error.code`, when the text is one. */
export function errorCodeOf(text: string | undefined): number | null {
  if (!text) return null;
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } | null }).error?.code;
    return typeof code === "number" && Number.isInteger(code) ? code : null;
  } catch {
    return null;
  }
}

/** The call's error code: the thrown one, else the one its answer's text carries (null: none). */
export async function errorCodeOfCall(call: AnsweredCall): Promise<number | null> {
  if (call.thrown !== undefined) return call.thrown;
  return call.status >= 400 ? errorCodeOf(await call.sent) : null;
}

// One capture per request context, whoever asks first.
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
