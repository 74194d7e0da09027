import type { Context, Hono } from "hono";
import type { AppEnv } from "../types";

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

/** The app the web interfaces call: a module's register() hands it over once. */
export function useGateway(app: Fetcher) {
  gateway = app;
}

export type PageContext = Pick<Context<AppEnv>, "env" | "executionCtx"> & { req: { url: string } };

/**
 * One API call from a page: the request is the one a client would send (built by the caller),
 * answered by the app in this isolate through its whole middleware chain.
 */
export async function callSelf<T>(c: PageContext, request: Request): Promise<ApiAnswer<T>> {
  const res = await fetchSelf(c, request);
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

/** The app's own answer to `request`, unread: for a download a page passes on as it came. */
export async function fetchSelf(c: PageContext, request: Request): Promise<Response> {
  if (!gateway) throw new Error("the web interfaces have no gateway");
  return gateway.fetch(request, c.env, c.executionCtx);
}

export type ApiMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * The request for `path` on this origin: JSON in the envelope's `params` (or `raw` bytes with
 * their media type, for an upload), an Idempotency-Key on every POST.
 */
export function apiRequest(
  c: PageContext,
  method: ApiMethod,
  path: string,
  options: {
    params?: Record<string, unknown>;
    idempotencyKey?: string;
    query?: URLSearchParams;
    headers?: Record<string, string>;
    raw?: { bytes: ArrayBuffer; type: string };
  } = {},
): Request {
  const url = new URL(path, c.req.url);
  if (options.query) url.search = options.query.toString();
  const headers = new Headers({ Accept: "application/json", ...options.headers });
  let body: string | ArrayBuffer | undefined;
  if (options.raw) {
    headers.set("Content-Type", options.raw.type);
    body = options.raw.bytes;
  } else if (options.params !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify({ params: options.params });
  }
  if (method === "POST") headers.set("Idempotency-Key", options.idempotencyKey ?? crypto.randomUUID());
  return new Request(url, { method, headers, body });
}
