import type { Context, Hono } from "hono";
import { internalRequest } from "../../platform/internal-call";
import type { AppEnv } from "../../platform/types";
import { may } from "./model";
import type { LiveSession } from "./session";

/** The API's answer as a page reads it: the envelope's result or its error. */
export interface ApiAnswer<T> {
  status: number;
  result: T | undefined;
  error: { code: number; message: string; reason: string; field?: string } | undefined;
  headers: Headers;
  /** The raw text, for answers that are not an envelope (CSV). */
  text: string;
}

type Fetcher = Pick<Hono<AppEnv>, "fetch">;
let gateway: Fetcher | undefined;

/** The app the portal calls: the module's register() hands it over once. */
export function useGateway(app: Fetcher) {
  gateway = app;
}

/**
 * Calls the partner API as the signed-in user: the same routes, validation, limits, idempotency
 * and audit trail as any client's call, with the user's role as its scopes (src/platform/internal-call.ts).
 * A POST sends the form's Idempotency-Key, so a form submitted twice acts once.
 */
export async function callApi<T = unknown>(
  c: Pick<Context<AppEnv>, "env" | "executionCtx"> & { req: { url: string } },
  session: LiveSession,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  options: { params?: Record<string, unknown>; idempotencyKey?: string; query?: URLSearchParams } = {},
): Promise<ApiAnswer<T>> {
  if (!gateway) throw new Error("the portal has no gateway");
  const url = new URL(path, c.req.url);
  if (options.query) url.search = options.query.toString();
  const headers = new Headers({ Accept: "application/json" });
  let body: string | undefined;
  if (options.params !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify({ params: options.params });
  }
  if (method === "POST") headers.set("Idempotency-Key", options.idempotencyKey ?? crypto.randomUUID());
  const request = internalRequest(new Request(url, { method, headers, body }), {
    partnerId: session.user.partnerId,
    clientId: `portal:${session.user.username}`,
    readOnly: !may.write(session.user.role),
  });
  const res = await gateway.fetch(request, c.env, c.executionCtx);
  const text = await res.text();
  let parsed: { result?: T; error?: ApiAnswer<T>["error"] | null } = {};
  if (res.headers.get("Content-Type")?.includes("json")) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = {};
    }
  }
  return {
    status: res.status,
    result: res.ok ? parsed.result : undefined,
    error: res.ok
      ? undefined
      : (parsed.error ?? { code: 1, message: `HTTP ${res.status}`, reason: "unknown" }),
    headers: res.headers,
    text,
  };
}
