import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import { type Env, loadConfig } from "../../../src/platform/env";
import wrangler from "../../../wrangler.toml?raw";
import { takesPublishableKey } from "../../contract/openapi";
import { BASE, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { expectSafeHeaders } from "../../support/safe-headers";
import {
  bare,
  concrete,
  expectEnvelope,
  operations,
  PRODUCTION,
  productionPartner,
  sendWith,
} from "./support";

// OWASP API8:2023. The deployed production settings are the safe ones, unsafe settings make the
// gateway refuse everything (fail closed) without naming their values, the defaults are the safe
// ones, and every documented operation in production answers with the safe headers, no CORS, and
// the envelope for a method it does not serve. The headers themselves are asserted on sandbox
// answers by test/platform/safe-defaults.test.ts; here on production's.

/** `key = "value"` lines of one section of wrangler.toml. */
function section(name: string): Record<string, string> {
  const lines = wrangler.split("\n");
  const start = lines.indexOf(`[${name}]`);
  expect(start, name).toBeGreaterThanOrEqual(0);
  const out: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("[")) break;
    const m = /^(\w+)\s*=\s*"?([^"]*)"?\s*$/.exec(line);
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Another documented template serves this method on the concrete path (`GET /v1/cards/{id}` for `/v1/cards/applications`). */
const servedElsewhere = (method: string, path: string) =>
  operations.some(
    (op) =>
      op.method === method &&
      op.path !== path &&
      new RegExp(`^${op.path.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path.replace(/\{[^}]+\}/g, "x")),
  );

afterEach(() => {
  vi.restoreAllMocks();
});

describe("OWASP API8:2023 Security Misconfiguration", () => {
  it("wrangler.toml deploys production fail-closed, over https, without debug logs or a workers.dev route", () => {
    const vars = section("env.production.vars");
    expect(vars).toMatchObject({ ENVIRONMENT: "production", RATE_LIMIT_FAILURE_MODE: "closed" });
    expect(vars.ISSUER).toMatch(/^https:\/\//);
    expect(["info", "warn", "error"]).toContain(vars.LOG_LEVEL);
    for (const unsafe of [
      "WEBHOOK_ALLOW_LOOPBACK",
      "UPSTREAM_URLS",
      "JWT_SIGNING_KEYS",
      "WEBHOOK_SECRETS_KEY",
    ])
      expect(vars[unsafe], unsafe).toBeUndefined();
    expect(wrangler).toMatch(/^workers_dev = false$/m);
    // …and the gateway takes it as it is (with the secrets wrangler.toml does not hold).
    const config = loadConfig({ ...env, WEBHOOK_ALLOW_LOOPBACK: undefined, ...vars } as unknown as Env);
    expect(config.ENVIRONMENT).toBe("production");
  });

  it("the defaults are the safe ones: rate limiter fail-closed, no loopback webhooks, info logs", () => {
    const {
      RATE_LIMIT_FAILURE_MODE: _mode,
      WEBHOOK_ALLOW_LOOPBACK: _loopback,
      LOG_LEVEL: _log,
      ...rest
    } = env;
    const config = loadConfig({ ...rest, ENVIRONMENT: "production" } as unknown as Env);
    expect(config.RATE_LIMIT_FAILURE_MODE).toBe("closed");
    expect(config.WEBHOOK_ALLOW_LOOPBACK).toBe(false);
    expect(config.LOG_LEVEL).toBe("info");
  });

  const unsafe: [string, Partial<Env>, string][] = [
    ["loopback webhooks in production", { ...PRODUCTION, WEBHOOK_ALLOW_LOOPBACK: "true" }, "true"],
    ["a plain-http issuer in production", { ...PRODUCTION, ISSUER: "http://api.portico.example" }, "http://"],
    ["unreadable signing keys", { JWT_SIGNING_KEYS: "not-json-SECRET-1" }, "SECRET-1"],
    ["a malformed webhook secrets key", { WEBHOOK_SECRETS_KEY: "short-SECRET-2" }, "SECRET-2"],
    ["an unknown rate-limit failure mode", { RATE_LIMIT_FAILURE_MODE: "sometimes-SECRET-3" }, "SECRET-3"],
  ];
  for (const [what, overrides, value] of unsafe) {
    it(`${what}: every documented operation answers 503 code 90, naming no value`, async () => {
      // Each refusal logs the invalid setting's name (never its value): expected here, kept quiet.
      vi.spyOn(console, "log").mockImplementation(() => {});
      for (const op of operations) {
        const ex = await sendWith(overrides, bare(op, op.method === "POST" ? { json: { params: {} } } : {}));
        const error = expectEnvelope(ex, 503, 90);
        expect(error.message).toBe("The service is not configured correctly");
        if (value.includes("SECRET")) expect(ex.text, op.key).not.toContain(value);
      }
    });
  }

  it("in production every documented path answers safe headers, no CORS, and 405 code 5 with Allow for a method it lacks", async () => {
    const app = createApp();
    // A /v1 path is authenticated before it is routed: the wrong method is told to a valid token,
    // or on a path that takes a publishable key only (POST /v1/tokens) to a valid production key.
    const { token } = await productionPartner();
    const issued = await sendWith(PRODUCTION, {
      method: "POST",
      path: "/v1/partner/publishable_keys",
      pathParams: {},
      query: {},
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        "Idempotency-Key": crypto.randomUUID(),
      },
      json: { params: {} },
    });
    const key = (issued.body as { result?: { key?: string } } | undefined)?.result?.key;
    expect(key, issued.text.slice(0, 200)).toMatch(/^pk_live_/);
    const bearerOf = (path: string) =>
      operations.filter((op) => op.path === path).every(takesPublishableKey) ? key : token;
    const paths = [...new Set(operations.map((op) => op.path))];
    let refused = 0;
    for (const path of paths) {
      const documented = operations.filter((op) => op.path === path).map((op) => op.method);
      for (const method of METHODS) {
        const ctx = createExecutionContext();
        const res = await app.fetch(
          new Request(`${BASE}${concrete(path)}`, {
            method,
            headers: {
              Origin: "https://evil.example",
              ...(path.startsWith("/v1/") ? { Authorization: `Bearer ${bearerOf(path)}` } : {}),
            },
          }),
          { ...env, ...PRODUCTION } as Env,
          ctx,
        );
        await waitOnExecutionContext(ctx);
        const text = await res.text();
        expectSafeHeaders(res, concrete(path));
        for (const name of res.headers.keys()) expect(name, path).not.toMatch(/^access-control-/i);
        if (documented.includes(method) || path.startsWith("/v1/sandbox/") || servedElsewhere(method, path))
          continue;
        refused += 1;
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(JSON.parse(text).error.code, `${method} ${path}`).toBe(5);
        for (const m of documented) expect(res.headers.get("Allow"), `${method} ${path}`).toContain(m);
      }
    }
    expect(refused).toBeGreaterThan(100);
  });

  it("an unexpected failure answers code 1 and nothing of what failed", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const broken = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "prepare" || prop === "batch")
          return () => {
            throw new Error("SQLITE internal: table partner_credentials at /srv/secret-path");
          };
        return Reflect.get(target, prop);
      },
    });
    const ex = await sendWith(
      { DB: broken as D1Database },
      bare({ method: "GET", path: "/v1/partner/credentials" }, { token }),
    );
    const error = expectEnvelope(ex, 500, 1);
    expect(error.message).toBe("Unknown Error. Please contact support");
    expect(ex.text).not.toMatch(/SQLITE|secret-path|partner_credentials|at \//);
  });
});
