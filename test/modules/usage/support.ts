import { env } from "cloudflare:workers";
import { createApp } from "../../../src/app";
import type { RequestRecord } from "../../../src/modules/usage/model";
import { insertRequest } from "../../../src/modules/usage/storage";
import type { Env } from "../../../src/platform/env";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { CURRENT_VERSION } from "../../../src/platform/versions/registry";
import { basic, type Call, fetchWithEnv } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";

// The request log is written after the answer (waitUntil): these requests go through the app with
// an execution context the test awaits, so a row is there, deterministically, once `send` returns.

const app = createApp();

/** The same code configured as production: only the environment differs. */
export const PRODUCTION: Partial<Env> = { ENVIRONMENT: "production", WEBHOOK_ALLOW_LOOPBACK: "false" };

export interface SendOptions {
  token?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  env?: Partial<Env>;
}

/** One request; its request-log row (if any) is written when this returns. */
export function send(method: string, path: string, opts: SendOptions = {}): Promise<Call> {
  const headers: Record<string, string> = { ...opts.headers };
  if (method === "POST" && path.startsWith("/v1/") && !("Idempotency-Key" in headers))
    headers["Idempotency-Key"] = crypto.randomUUID();
  if (opts.token !== undefined) headers.Authorization = `Bearer ${opts.token}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["Content-Type"] ??= "application/json";
  }
  return fetchWithEnv(app, opts.env ?? {}, path, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
}

/** A token the gateway configured by `overrides` issued (client credentials, optionally narrowed). */
export async function tokenWith(
  partner: { consumerKey: string; consumerSecret: string },
  overrides: Partial<Env> = {},
  scope?: string,
): Promise<string> {
  const r = await send("POST", "/oauth2/token", {
    env: overrides,
    headers: {
      Authorization: basic(partner.consumerKey, partner.consumerSecret),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      ...(scope !== undefined ? { scope } : {}),
    }).toString(),
  });
  if (r.res.status !== 200) throw new Error(`token: ${r.res.status} ${JSON.stringify(r.body)}`);
  return r.body.access_token;
}

/** A row as D1 holds it (snake_case columns). */
export interface StoredRow {
  id: string;
  partner_id: string;
  request_id: string;
  time: string;
  method: string;
  route: string | null;
  path: string;
  product: string;
  status: number;
  error_code: number | null;
  latency_ms: number;
  idempotency_key: string | null;
  api_version: string;
  client_id: string;
  request_body: string | null;
  request_body_truncated: number;
  response_body: string | null;
  response_body_truncated: number;
}

/** Every row of the partner, oldest first. */
export async function rowsOf(partnerId: string): Promise<StoredRow[]> {
  const r = await env.DB.prepare("SELECT * FROM request_log WHERE partner_id = ? ORDER BY id")
    .bind(partnerId)
    .all<StoredRow>();
  return r.results;
}

/** The rows of one request id, whoever's. */
export async function rowsOfRequest(requestId: string): Promise<StoredRow[]> {
  const r = await env.DB.prepare("SELECT * FROM request_log WHERE request_id = ?")
    .bind(requestId)
    .all<StoredRow>();
  return r.results;
}

/** The one row a request left (its X-Request-Id), or a failure. */
export async function rowOf(res: Response): Promise<StoredRow> {
  const requestId = res.headers.get("X-Request-Id") ?? "";
  const rows = await rowsOfRequest(requestId);
  if (rows.length !== 1) throw new Error(`${rows.length} rows for request ${requestId}`);
  return rows[0] as StoredRow;
}

/** A row written directly, for the aggregations: `at` is its time (ms). */
export async function logRow(
  partnerId: string,
  at: number,
  fields: Partial<Omit<RequestRecord, "id" | "partnerId" | "time">> = {},
): Promise<string> {
  const id = uuidv7(at);
  await insertRequest(db, {
    id,
    partnerId,
    requestId: crypto.randomUUID(),
    time: new Date(at).toISOString(),
    method: "GET",
    route: "/v1/payments/:id",
    path: `/v1/payments/${crypto.randomUUID()}`,
    product: "payments",
    status: 200,
    errorCode: null,
    latencyMs: 10,
    idempotencyKey: null,
    apiVersion: CURRENT_VERSION,
    clientId: "ck_test_rows",
    requestBody: null,
    requestBodyTruncated: false,
    responseBody: null,
    responseBodyTruncated: false,
    ...fields,
  });
  return id;
}

/** A sandbox partner and a token of every scope its contract grants. */
export async function partnerWithToken(overrides: Parameters<typeof provisionPartner>[0] = {}) {
  const partner = await provisionPartner(overrides);
  return { partner, token: await tokenWith(partner) };
}
