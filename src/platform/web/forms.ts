import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "../errors";

/**
 * The web interfaces' pages (the developer portal, the console): no inline script or style, nothing from another origin, forms only to the
 * portal itself, never framed, never cached.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  // A page with a policy of its own (the register page, with Turnstile's widget) keeps it.
  if (!c.res.headers.has("Content-Security-Policy")) c.res.headers.set("Content-Security-Policy", PAGE_CSP);
  c.res.headers.set("Cache-Control", "no-store");
};

/**
 * Every change comes from the interface's own pages: Fetch Metadata says same-origin, and an Origin
 * header, when the browser sends a real one, is this origin. (Under the pages' no-referrer
 * policy Chromium sends `Origin: null` with a form; Sec-Fetch-Site still tells.) The sign-in
 * form has no session yet: this is its CSRF defence.
 */
export function sameOrigin(c: Context): boolean {
  const origin = c.req.header("Origin");
  const site = c.req.header("Sec-Fetch-Site");
  if (origin && origin !== "null" && origin !== new URL(c.req.url).origin) return false;
  if (site) return site === "same-origin";
  return Boolean(origin && origin !== "null");
}

/** A form of these pages is a few fields: 16 KiB is far more than any of them needs. */
const MAX_FORM_BYTES = 16 * 1024;

/** The form's fields as strings (a file or a repeated field is not one of ours); 413 past the limit. */
export async function formOf(c: Context): Promise<Record<string, string>> {
  const type = c.req.header("Content-Type") ?? "";
  const length = Number(c.req.header("Content-Length") ?? "0");
  if (!Number.isFinite(length) || length > MAX_FORM_BYTES)
    throw new ApiError("payload_too_large", { limit: MAX_FORM_BYTES });
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
    return {};
  const body = await c.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === "string") fields[name] = value;
  return fields;
}

/**
 * A form with a file (an upload): its fields and its files, refused (413) past `maxBytes` by the
 * declared length before anything is read; a browser always declares it.
 */
export async function uploadOf(
  c: Context,
  maxBytes: number,
): Promise<{ fields: Record<string, string>; files: Record<string, File> }> {
  const length = Number(c.req.header("Content-Length") ?? Number.NaN);
  if (!Number.isFinite(length) || length > maxBytes)
    throw new ApiError("payload_too_large", { limit: maxBytes });
  const fields: Record<string, string> = {};
  const files: Record<string, File> = {};
  if (!(c.req.header("Content-Type") ?? "").startsWith("multipart/form-data")) return { fields, files };
  const body = await c.req.parseBody();
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === "string") fields[name] = value;
    else if (value instanceof File) files[name] = value;
  }
  return { fields, files };
}
