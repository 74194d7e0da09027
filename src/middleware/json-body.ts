import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors";
import { isUuid } from "../lib/ids";
import type { AppEnv } from "../types";

export const MAX_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Reads at most `limit` bytes of the body; undefined when it is longer. */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<string | undefined> {
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

/**
 * For POST/PUT/PATCH: 413 over 1 MiB (by header, or while streaming), 415 for a body
 * that is not JSON, code 2 for JSON that does not parse. The text is handed to Hono's
 * body cache, so the route's validator does not read the stream again.
 */
export const jsonBody = (limit = MAX_BODY_BYTES) =>
  createMiddleware<AppEnv>(async function jsonBody(c, next) {
    if (!["POST", "PUT", "PATCH"].includes(c.req.method)) return next();
    const declared = Number(c.req.header("Content-Length") ?? "0");
    if (declared > limit) throw new ApiError("payload_too_large", { limit });
    const text = await readBounded(c.req.raw.body, limit);
    if (text === undefined) throw new ApiError("payload_too_large", { limit });
    if (text.length === 0) return next(); // no body: the route's schema decides
    const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim() ?? "";
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
    // Hono's body cache holds promises at run time; its type says otherwise.
    (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
    await next();
  });
