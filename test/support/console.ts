import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Env } from "../../src/platform/env";
import { ADMIN_ENV, adminApp, PRODUCTION_ADMIN_ENV } from "./admin";
import { BASE } from "./http";

/**
 * The console as a browser behind Cloudflare Access reaches it: the person's assertion on every
 * request (as Access adds it), forms posted from the console's own origin with Fetch Metadata.
 * Through the whole app with the admin API configured, as `adminCall` reaches the API.
 */
export async function consoleCall(
  method: "GET" | "POST",
  path: string,
  opts: { token?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<{ res: Response; text: string; bytes: Uint8Array }> {
  const headers: Record<string, string> = { "Sec-Fetch-Site": "same-origin", ...opts.headers };
  if (opts.token !== undefined) headers["Cf-Access-Jwt-Assertion"] = opts.token;
  let body: string | undefined;
  if (opts.form !== undefined) {
    body = new URLSearchParams(opts.form).toString();
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  }
  const access = env.ENVIRONMENT === "production" ? PRODUCTION_ADMIN_ENV : ADMIN_ENV;
  const ctx = createExecutionContext();
  const res = await adminApp.fetch(
    new Request(`${BASE}${path}`, { method, headers, body: body ?? null }),
    { ...env, ...access } as Env,
    ctx,
  );
  const bytes = new Uint8Array(await res.arrayBuffer());
  await waitOnExecutionContext(ctx);
  return { res, text: new TextDecoder().decode(bytes), bytes };
}

/** The CSRF token the console put in a page's forms. */
export function csrfOf(html: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF token on the page");
  return token;
}

const ENTITIES: Record<string, string> = {
  "&#39;": "'",
  "&quot;": '"',
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
};
/** HTML text as it reads. */
export const unescaped = (html: string) =>
  html.replace(/&#39;|&quot;|&lt;|&gt;|&amp;/g, (e) => ENTITIES[e] ?? e);

/** A page's notice (the flash after an action), as text. */
export const flashOf = (html: string) =>
  unescaped(/<p class="flash flash-(?:ok|error)"[^>]*>([^<]*)<\/p>/.exec(html)?.[1] ?? "");

/** Posts a form of `page` (a GET first, for its CSRF token) as the person holding `token`. */
export async function submit(token: string, page: string, action: string, fields: Record<string, string>) {
  const shown = await consoleCall("GET", page, { token });
  if (shown.res.status !== 200) throw new Error(`${page}: ${shown.res.status}`);
  return consoleCall("POST", action, {
    token,
    form: { csrf: csrfOf(shown.text), idempotency_key: crypto.randomUUID(), ...fields },
  });
}
