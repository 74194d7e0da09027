import { createExecutionContext, SELF, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createApp } from "../../../src/app";
import { DATA_CATEGORIES } from "../../../src/platform/data-access";
import type { Env } from "../../../src/platform/env";
import { ContractChecker, type Fingerprint } from "../../contract/checker";
import { credentialFor, FIXTURES, requestOf } from "../../contract/fixtures";
import {
  jsonBodySchema,
  needsIdempotencyKey,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  resolve,
  type Schema,
  takesPublishableKey,
} from "../../contract/openapi";
import { publishableKey } from "../../contract/prerequisites";
import {
  type ContractRequest,
  type Exchange,
  exchangeOf,
  type Send,
  toRequest,
} from "../../contract/request";
import { storedState } from "../../contract/state";
import { BASE, basic, tokenFor } from "../../support/http";
import { fund, provisionPartner, type TestPartner } from "../../support/partners";

// What the OWASP files share: the OpenAPI document as partners get it, its operations, and the
// contract test's fixtures (a valid request for every operation, its prerequisites made through
// the API), so that each risk is checked on whatever the document lists, a new route included.

export const doc = await (await SELF.fetch(`${BASE}/openapi.json`)).json<OpenApiDocument>();
export const checker = new ContractChecker(doc);
export const operations = operationsOf(doc);
/** The partner API: every /v1 operation (the token endpoint and /status are not a partner's objects). */
export const v1 = operations.filter((op) => op.path.startsWith("/v1/"));

export const send: Send = async (req) => exchangeOf(req, await SELF.fetch(toRequest(BASE, req)));

/** The scope an operation documents (`security: [{ oauth2: [scope] }]`). */
export const scopeOf = (op: Operation): string | undefined =>
  (op.doc as { security?: { oauth2?: string[] }[] }).security?.[0]?.oauth2?.[0];

/** The product an operation belongs to (`x-portico-product`), `platform` for the partner's own. */
export const productOf = (op: Operation): string | undefined =>
  (op.doc as { "x-portico-product"?: string })["x-portico-product"];

/** The `params` object schema of an operation's JSON body, when it has one. */
export function paramsSchema(op: Operation): Schema | undefined {
  const body = jsonBodySchema(doc, op.doc);
  const params = body?.properties?.params;
  return params === undefined ? undefined : resolve(doc, params);
}

export interface Ctx {
  partner: TestPartner;
  token: string;
}

/** A partner entitled to everything (every product, every data category), with money, and its token. */
export async function entitled(): Promise<Ctx> {
  const partner = await provisionPartner({ dataAccess: [...DATA_CATEGORIES] });
  await fund(partner.id, 1_000_000_000);
  return { partner, token: await tokenFor(partner) };
}

/** The operation's valid request for `ctx` (its prerequisites made anew), with a fresh Idempotency-Key. */
export async function validRequest(op: Operation, ctx: Ctx): Promise<ContractRequest> {
  const fixture = FIXTURES[op.key];
  if (!fixture) throw new Error(`no fixture for ${op.key} in test/contract/fixtures.ts`);
  return rekeyed(op, requestOf(op, await fixture.prepare(ctx), await credentialFor(op, ctx)));
}

/**
 * The bearer credential of each operation for `ctx`: its access token, or for an operation that
 * takes a publishable key only (POST /v1/tokens) a key issued now, once, through the API, when
 * one of `ops` takes it (issue it before a state is fingerprinted: the key is a row of the partner's).
 */
export async function credentialsOf(ctx: Ctx, ops: Operation[] = v1): Promise<(op: Operation) => string> {
  const pk = ops.some(takesPublishableKey) ? await publishableKey(ctx) : undefined;
  return (op) => {
    if (!takesPublishableKey(op)) return ctx.token;
    if (pk === undefined) throw new Error(`${op.key}: no publishable key issued for it`);
    return pk;
  };
}

/** The request with a fresh Idempotency-Key where the operation takes one. */
export const rekeyed = (op: Operation, req: ContractRequest): ContractRequest =>
  needsIdempotencyKey(op)
    ? { ...req, headers: { ...req.headers, "Idempotency-Key": crypto.randomUUID() } }
    : req;

/** The same request under another bearer token (and a fresh Idempotency-Key). */
export const as = (op: Operation, req: ContractRequest, token: string): ContractRequest =>
  rekeyed(op, { ...req, headers: { ...req.headers, Authorization: `Bearer ${token}` } });

/** The partners' stored rows (test/contract/state.ts), once asynchronous work of earlier requests has settled. */
export async function settledState(partnerIds: string[]): Promise<Fingerprint> {
  const read = async () =>
    Object.fromEntries(
      (await Promise.all(partnerIds.map(async (id) => Object.entries(await storedState(id))))).flatMap(
        (parts, i) => parts.map(([k, v]) => [`${i}:${k}`, v]),
      ),
    );
  let last = await read();
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 25));
    const now = await read();
    if (ContractChecker.changed(last, now).length === 0) return now;
    last = now;
  }
  return last;
}

/** What changed in the partners' rows since `before` (settled first: a refusal must leave nothing). */
export const changedSince = async (before: Fingerprint, partnerIds: string[]) =>
  ContractChecker.changed(before, await settledState(partnerIds));

/** The error envelope of a refusal: `{ id, result: null, error: { code, reason, message, docs } }`. */
export function expectEnvelope(ex: Exchange, status: number, code?: number) {
  const what = `${ex.request.method} ${ex.request.path} → ${ex.status} ${ex.text.slice(0, 200)}`;
  expect(ex.status, what).toBe(status);
  const body = ex.body as { id?: unknown; result?: unknown; error?: Record<string, unknown> };
  expect(typeof body?.id, what).toBe("string");
  expect(body?.result, what).toBeNull();
  expect(body?.error, what).toMatchObject({ code: expect.any(Number), reason: expect.any(String) });
  if (code !== undefined) expect(body.error?.code, what).toBe(code);
  return body.error as { code: number; reason: string; message: string; field?: string };
}

export const errorOf = (ex: Exchange) =>
  (ex.body as { error?: { code: number; reason: string; message: string; field?: string } } | undefined)
    ?.error;

export const ok = (ex: Exchange) => ex.status >= 200 && ex.status < 300;

/** A path template with every parameter filled with a well-formed id nobody has. */
export const concrete = (path: string) => path.replace(/\{[^}]+\}/g, "00000000-0000-7000-8000-000000000000");

// ------------------------------------------------------------------------------- production

/** The same code configured as production: only the environment differs. */
export const PRODUCTION: Partial<Env> = { ENVIRONMENT: "production", WEBHOOK_ALLOW_LOOPBACK: "false" };

const app = createApp();

/** The gateway with its configuration changed (`overrides`), answering one request. */
export async function sendWith(overrides: Partial<Env>, req: ContractRequest): Promise<Exchange> {
  const ctx = createExecutionContext();
  const res = await app.fetch(toRequest(BASE, req), { ...env, ...overrides } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return exchangeOf(req, res);
}

/** A production partner (every product) and a token the production gateway issued it. */
export async function productionPartner(): Promise<Ctx> {
  const partner = await provisionPartner({ environment: "production", dataAccess: [...DATA_CATEGORIES] });
  const ex = await sendWith(PRODUCTION, {
    method: "POST",
    path: "/oauth2/token",
    pathParams: {},
    query: {},
    headers: {
      Authorization: basic(partner.consumerKey, partner.consumerSecret),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    json: { grant_type: "client_credentials" },
    encoding: "form",
  });
  const token = (ex.body as { access_token?: string } | undefined)?.access_token;
  if (!token) throw new Error(`production token: ${ex.status} ${ex.text}`);
  return { partner, token };
}

/** A request with nothing but a method, a path (template filled) and optional token and JSON body. */
export function bare(
  op: Pick<Operation, "method" | "path">,
  opts: { token?: string; json?: unknown; headers?: Record<string, string> } = {},
): ContractRequest {
  return {
    method: op.method,
    path: concrete(op.path),
    pathParams: {},
    query: {},
    headers: {
      ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.json !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(needsIdempotencyKey(op) ? { "Idempotency-Key": crypto.randomUUID() } : {}),
      ...opts.headers,
    },
    ...(opts.json !== undefined ? { json: opts.json } : {}),
  };
}
