import { createExecutionContext, SELF, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Env } from "../../src/platform/env";
import type { TestPartner } from "./partners";

export const BASE = "http://portico.test";

export const basic = (key: string, secret: string) => `Basic ${btoa(`${key}:${secret}`)}`;

export interface Call {
  res: Response;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  body: any;
}

export async function call(
  method: string,
  path: string,
  opts: {
    token?: string;
    json?: unknown;
    body?: BodyInit;
    headers?: Record<string, string>;
    /** `request.cf` as the edge sets it (its mTLS verdict): SELF.fetch passes it on to the Worker. */
    cf?: unknown;
  } = {},
): Promise<Call> {
  const headers: Record<string, string> = { ...opts.headers };
  // Every POST under /v1 needs an Idempotency-Key; a fresh one unless the test sets its own.
  if (method === "POST" && path.startsWith("/v1/") && !("Idempotency-Key" in headers)) {
    headers["Idempotency-Key"] = crypto.randomUUID();
  }
  if (opts.token !== undefined) headers.Authorization = `Bearer ${opts.token}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["Content-Type"] ??= "application/json";
  }
  const cf = opts.cf === undefined ? {} : { cf: opts.cf as IncomingRequestCfProperties };
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers, body, ...cf });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { res, body: parsed };
}

export async function requestToken(
  partner: Pick<TestPartner, "consumerKey" | "consumerSecret">,
  params: Record<string, string> = { grant_type: "client_credentials" },
  form = true,
): Promise<Call> {
  return call("POST", "/oauth2/token", {
    headers: {
      Authorization: basic(partner.consumerKey, partner.consumerSecret),
      ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
    },
    ...(form ? { body: new URLSearchParams(params).toString() } : { json: params }),
  });
}

export async function tokenFor(partner: TestPartner, scope?: string): Promise<string> {
  const { res, body } = await requestToken(partner, {
    grant_type: "client_credentials",
    ...(scope !== undefined ? { scope } : {}),
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/**
 * The gateway with its configuration changed (another backend, another environment, another
 * log level): `app.fetch` with `env` overridden, waiting for the request's background work.
 */
export async function fetchWithEnv(
  app: { fetch: (req: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response> },
  overrides: Partial<Env>,
  path: string,
  init: RequestInit = {},
): Promise<Call> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BASE}${path}`, init), { ...env, ...overrides } as Env, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (a document's bytes): keep the text
  }
  return { res, body: parsed };
}
