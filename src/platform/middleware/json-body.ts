import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors";
import { readBounded } from "../lib/bounded";
import { isUuid } from "../lib/ids";
import type { AppEnv } from "../types";

export const MAX_BODY_BYTES = 1024 * 1024;

/** The media type of a Content-Type header, without its parameters; "" when there is none. */
export const mediaTypeOf = (contentType: string | null | undefined): string =>
  (contentType ?? "").split(";")[0]?.trim() ?? "";
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * For POST/PUT/PATCH: 413 over 1 MiB (by header, or while streaming), 415 for a body
 * that is not JSON, code 2 for JSON that does not parse; an empty body is `{}`. The text
 * is handed to Hono's body cache, so nothing reads the stream again.
 */
export const jsonBody = (limit = MAX_BODY_BYTES) =>
  createMiddleware<AppEnv>(async function jsonBody(c, next) {
    if (!["POST", "PUT", "PATCH"].includes(c.req.method)) return next();
    const declared = Number(c.req.header("Content-Length") ?? "0");
    if (declared > limit) throw new ApiError("payload_too_large", { limit });
    const text = await readBounded(c.req.raw.body, limit);
    if (text === undefined) throw new ApiError("payload_too_large", { limit });
    const mediaType = mediaTypeOf(c.req.header("Content-Type"));
    if (text.length === 0) {
      // No body is the operation with no parameters, whatever type a client's library stamped on
      // it (fetch sends "" as text/plain, curl -d '' as a form). The request goes on as one without
      // a body or a type, read as `{}`: the route's schema decides (a required `params` is code 4)
      // and nothing downstream reads the spent stream again.
      if (c.req.raw.body !== null) c.req.raw = withoutBody(c.req.raw);
      cacheBody(c, EMPTY_BODY);
      return next();
    }
    if (!JSON_TYPE.test(mediaType))
      throw new ApiError("unsupported_media_type", { content_type: mediaType || "(none)" });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError("invalid_json");
    }
    if (
      parsed &&
      typeof parsed === "object" &&
      "id" in parsed &&
      typeof parsed.id === "string" &&
      isUuid(parsed.id)
    ) {
      c.set("envelopeId", parsed.id);
    }
    c.set("requestText", text);
    cacheBody(c, text);
    await next();
  });

const EMPTY_BODY = "{}";

function withoutBody(req: Request): Request {
  const headers = new Headers(req.headers);
  headers.delete("Content-Type");
  headers.delete("Content-Length");
  return new Request(req.url, { method: req.method, headers, signal: req.signal });
}

/**
 * Hands the text to Hono's body cache: validators and the idempotency layer read it, not the
 * stream. The API version layer hands over a request upgraded to the current version the same way.
 */
export function cacheBody(c: Context<AppEnv>, text: string) {
  // The cache holds promises at run time; its type says otherwise. A body read in another form
  // before (json, arrayBuffer) is dropped: the text is the one body.
  const cache = c.req.bodyCache as Record<string, unknown>;
  for (const key of Object.keys(cache)) delete cache[key];
  cache.text = Promise.resolve(text);
}
