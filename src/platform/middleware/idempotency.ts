import { createMiddleware } from "hono/factory";
import { renderedText } from "../envelope";
import { ApiError, type ErrorName } from "../errors";
import type { KeyStore, OwnKeyStore } from "../idempotency-store";
import { derivedHmacKey } from "../lib/derived-key";
import { idempotencyScope, toHex } from "../lib/ids";
import type { AppEnv } from "../types";

// 1–255 printable ASCII characters (docs/idempotency.md).
const KEY = /^[\x20-\x7e]{1,255}$/;
/** A holder that died frees the key after this long; a retry then takes over. */
export const LOCK_MS = 30_000;

/** Refusals that happen before a route executes: never stored, the key stays free. */
const BEFORE_EXECUTION = new Set<ErrorName>([
  "invalid_json",
  "unparseable_field",
  "validation",
  "insufficient_scope",
  "product_not_licensed",
]);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * What makes two requests "the same": method, path and the canonical `params` (not the
 * envelope id). Keyed (HMAC) with the platform's data key when there is one: a request may
 * carry a full card number, and an unkeyed hash of one can be reversed by trying them all.
 */
export async function fingerprint(
  method: string,
  path: string,
  bodyText: string,
  dataKey?: string,
): Promise<string> {
  // No body, `{}` and `{"params":{}}` all mean "no parameters": the same request.
  let params: unknown = {};
  try {
    params = bodyText ? ((JSON.parse(bodyText) as { params?: unknown }).params ?? {}) : {};
  } catch {
    params = bodyText; // not reached: the JSON body middleware refused it already
  }
  const text = new TextEncoder().encode(`${method} ${path}\n${canonical(params)}`);
  const digest = dataKey
    ? await crypto.subtle.sign("HMAC", await derivedHmacKey(dataKey, "idempotency-fingerprint"), text)
    : await crypto.subtle.digest("SHA-256", text);
  return toHex(new Uint8Array(digest));
}

/** The name of the object that keeps an Idempotency-Key: its scope. */
export const idempotencyObjectName = idempotencyScope;

/**
 * Every POST under /v1 carries an Idempotency-Key, scoped to environment + partner + key
 * in its own Durable Object. A replay answers the stored response with
 * `Idempotent-Replayed: true`; a different request under the key is 422; one still
 * running is 409 with Retry-After. Refusals before execution and server errors are not
 * stored. A route may hand over a sanitized body to store instead of the one it sent
 * (`replayBody`): a secret shown once is not kept for replays.
 */
export const idempotency = (ownKeys: readonly OwnKeyStore[] = []) =>
  createMiddleware<AppEnv>(async function idempotency(c, next) {
    if (c.req.method !== "POST") return next();
    const key = c.req.header("Idempotency-Key");
    if (!key || !KEY.test(key))
      throw new ApiError("idempotency_key_required", {}, { field: "Idempotency-Key" });
    c.set("idempotencyKey", key);

    const scope = { environment: c.get("services").config.ENVIRONMENT, partnerId: c.get("partner").id, key };
    const own = ownKeys.find((o) => o.path === c.req.path);
    const namespace = c.env.IDEMPOTENCY;
    const store: KeyStore = own
      ? own.store(c.env, scope)
      : namespace.get(namespace.idFromName(idempotencyObjectName(scope.environment, scope.partnerId, key)));
    const dataKey = c.get("services").config.WEBHOOK_SECRETS_KEY;
    const begin = await store.begin(
      await fingerprint(c.req.method, c.req.path, await c.req.text(), dataKey),
      LOCK_MS,
    );
    if (begin.outcome === "replay") {
      return c.newResponse(begin.body, begin.status as 200, {
        "Content-Type": "application/json",
        "Idempotent-Replayed": "true",
      });
    }
    if (begin.outcome === "mismatch") throw new ApiError("idempotency_key_reused");
    if (begin.outcome === "in_flight") {
      throw new ApiError(
        "idempotency_in_flight",
        {},
        { retryable: true, headers: { "Retry-After": String(begin.retryAfterSeconds) } },
      );
    }

    await next();
    const refusedEarly = c.error instanceof ApiError && BEFORE_EXECUTION.has(c.error.reason);
    if (refusedEarly || c.res.status >= 500) {
      await store.release(begin.lockToken);
      return;
    }
    // Stored before the answer leaves: a retry must never find the key still "in flight" and run twice.
    const body = c.get("replayBody") ?? renderedText(c.res) ?? (await c.res.clone().text());
    await store.complete(begin.lockToken, c.res.status, body);
    c.set("idempotencyStored", true);
  });
