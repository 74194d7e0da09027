import { ApiError } from "../../platform/errors";
import { derivedHmacKey } from "../../platform/lib/derived-key";
import { b64url, constantTimeTextEqual } from "../../platform/lib/secret-hash";
import {
  type ApiAnswer,
  type ApiMethod,
  apiRequest,
  callSelf,
  fetchSelf,
  type PageContext,
} from "../../platform/web/self-call";

/** Cloudflare Access's assertion, which Access adds to every request it lets through. */
export const ACCESS_HEADER = "Cf-Access-Jwt-Assertion";

/**
 * Calls the admin API as the person at the console: their own Access assertion goes with the
 * call, so the admin API verifies it, reads their role and audits the action, as for any client.
 */
export function callAdmin<T = unknown>(
  c: PageContext,
  assertion: string,
  method: ApiMethod,
  path: string,
  options: { params?: Record<string, unknown>; idempotencyKey?: string; query?: URLSearchParams } = {},
): Promise<ApiAnswer<T>> {
  return callSelf<T>(c, apiRequest(c, method, path, { ...options, headers: { [ACCESS_HEADER]: assertion } }));
}

/** A GET of the admin API answered as it came, unread: a download the console passes on. */
export function fetchAdmin(c: PageContext, assertion: string, path: string): Promise<Response> {
  return fetchSelf(c, apiRequest(c, "GET", path, { headers: { [ACCESS_HEADER]: assertion } }));
}

const INFO = "portico/console/csrf/v1";

/**
 * The console's CSRF token: an HMAC of the Access identity's subject under a key derived from the
 * data key. Without a session of its own, the console binds each form to the person it was shown to.
 */
export async function csrfToken(dataKey: string | undefined, subject: string): Promise<string> {
  if (!dataKey) throw new ApiError("service_unavailable");
  const key = await derivedHmacKey(dataKey, INFO);
  return b64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(subject))));
}

export async function csrfValid(dataKey: string | undefined, subject: string, token: string | undefined) {
  if (!token) return false;
  return constantTimeTextEqual(token, await csrfToken(dataKey, subject));
}
