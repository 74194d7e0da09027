import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HttpUpstream } from "../../../src/platform/upstream";
import type { ContractRequest } from "../../contract/request";
import { call } from "../../support/http";
import { refusal } from "../../support/upstream";
import { createEndpoint, receiver, until } from "../../support/webhooks";
import {
  changedSince,
  entitled,
  expectEnvelope,
  operations,
  PRODUCTION,
  paramsSchema,
  productionPartner,
  sendWith,
  settledState,
} from "./support";

// OWASP API7:2023. The only URL a partner gives the gateway to fetch is a webhook endpoint's
// (there is no jwks_uri, no callback or return URL, no file import by URL); the bank systems'
// URLs are the operator's configuration (UPSTREAM_URLS). The URL rules themselves are
// test/modules/webhooks/url.test.ts (a large hostile table) and their re-check before every
// delivery test/modules/webhooks/consumer.test.ts; here: that no other URL field exists, that the
// API applies the rules in production on create and on change, and that no fetch follows a redirect.

const URLISH = /(^|_)(url|uri|href|link|callback|redirect|webhook|endpoint|host|domain)s?$/i;

/** Every request field, parameter or header of the document that could carry a URL. */
function urlInputs(): string[] {
  const found: string[] = [];
  for (const op of operations) {
    for (const p of op.doc.parameters ?? [])
      if (URLISH.test(p.name) || p.schema?.format === "uri") found.push(`${op.key} ${p.in} ${p.name}`);
    const walk = (schema: Record<string, unknown> | undefined, path: string) => {
      const props = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [name, child] of Object.entries(props)) {
        if (URLISH.test(name) || child.format === "uri") found.push(`${op.key} ${path}${name}`);
        walk(child, `${path}${name}.`);
      }
    };
    walk(paramsSchema(op) as Record<string, unknown> | undefined, "params.");
  }
  return found;
}

/** Internal targets, each spelled as an attacker would. */
const INTERNAL = [
  "https://169.254.169.254/latest/meta-data/",
  "https://[::ffff:169.254.169.254]/",
  "https://127.0.0.1/hook",
  "https://2130706433/hook",
  "https://0x7f.1/hook",
  "https://[::1]/hook",
  "https://localhost/hook",
  "https://10.0.0.1/hook",
  "https://192.168.1.1/hook",
  "https://metadata.google.internal/computeMetadata/v1/",
  "http://hooks.partner.example.com/plain-http",
  "https://user:secret@hooks.partner.example.com/",
  "https://hooks.partner.example.com:8443/other-port",
  "file:///etc/passwd",
];

const production = (token: string, method: string, path: string, params: unknown): ContractRequest => ({
  method,
  path,
  pathParams: {},
  query: {},
  headers: {
    Authorization: `Bearer ${token}`,
    "Content-Type": "application/json",
    "Idempotency-Key": crypto.randomUUID(),
  },
  json: { params },
});

describe("OWASP API7:2023 Server Side Request Forgery", () => {
  it("the only URLs a partner can hand the gateway are a webhook endpoint's, its JWKS and its redirect URIs", () => {
    // Fetched by the gateway: webhook URLs and the JWKS (private_key_jwt), both through the SSRF
    // guard. Redirect URIs are only where the customer's browser is sent back to, never fetched.
    expect(urlInputs()).toEqual([
      "PUT /v1/partner/oauth-client params.jwks_uri",
      "PUT /v1/partner/oauth-client params.redirect_uris",
      "POST /v1/webhook_endpoints params.url",
      "PATCH /v1/webhook_endpoints/{id} params.url",
    ]);
  });

  it("production refuses an internal jwks_uri, and stores nothing", async () => {
    const { partner, token } = await productionPartner();
    const before = await settledState([partner.id]);
    for (const url of INTERNAL) {
      const req = {
        ...production(token, "PUT", "/v1/partner/oauth-client", { jwks_uri: url, redirect_uris: [] }),
      };
      delete (req.headers as Record<string, string>)["Idempotency-Key"];
      const ex = await sendWith(PRODUCTION, req);
      expectEnvelope(ex, 400, 251);
      expect(ex.text, url).not.toContain("secret@");
    }
    expect(await changedSince(before, [partner.id])).toEqual([]);
  });

  it("production refuses an internal webhook URL on create and on change, and stores nothing", async () => {
    const { partner, token } = await productionPartner();
    const made = await sendWith(
      PRODUCTION,
      production(token, "POST", "/v1/webhook_endpoints", {
        url: "https://hooks.partner.example.com/portico",
        events: ["endpoint.disabled"],
      }),
    );
    expect(made.status, made.text).toBe(200);
    const id = (made.body as { result: { id: string } }).result.id;
    const before = await settledState([partner.id]);
    for (const url of INTERNAL) {
      for (const req of [
        production(token, "POST", "/v1/webhook_endpoints", { url, events: ["endpoint.disabled"] }),
        production(token, "PATCH", `/v1/webhook_endpoints/${id}`, { url }),
      ]) {
        const ex = await sendWith(PRODUCTION, req);
        const error = expectEnvelope(ex, 400, 4);
        expect(error.field, `${req.method} ${url}`).toBe("params.url");
        expect(ex.text, url).not.toContain("secret@");
      }
    }
    expect(await changedSince(before, [partner.id])).toEqual([]);
  });

  it("a webhook delivery never follows a redirect", async () => {
    const { token } = await entitled();
    const hook = receiver();
    await hook.script({ fail: 100, status: 302 });
    const endpoint = await createEndpoint(token, { url: hook.url, events: ["endpoint.disabled"] });
    const ping = await call("POST", `/v1/webhook_endpoints/${endpoint.id}/test`, { token });
    expect(ping.res.status).toBe(200);
    const attempt = await until(async () => {
      const r = await call("GET", `/v1/events/${ping.body.result.id}/attempts`, { token });
      return r.body.result?.data?.[0] as { status_code: number; outcome: string; error: string | null };
    });
    // The receiver's 302 points at 127.0.0.1:1: followed, it would be a network error.
    expect(attempt).toMatchObject({ status_code: 302, outcome: "retry", error: null });
  });

  it("a bank system's redirect is not followed either: 1005 with its status", async () => {
    const server = receiver();
    await server.script({ fail: 5, status: 302 });
    const err = await refusal(
      new HttpUpstream({ system: "test", baseUrl: server.url, retries: 0 }).call("GET", ""),
    );
    expect([err.code, err.status]).toEqual([1005, 502]);
    expect(err.message).toContain("Response code: 302");
    expect((await server.received()).length).toBe(1);
  });

  it("no partner input reaches a bank system's URL but as an encoded uuid or prefixed id: every path parameter is one", () => {
    // A uuid, or an id of a fixed prefix and a fixed number of URL-safe characters (`cus_…`, `spm_…`).
    const prefixedId = /^\^[a-z]+_\[[A-Za-z0-9_\\-]+\]\{\d+\}\$$/;
    const pathParams = operations.flatMap((op) =>
      (op.doc.parameters ?? [])
        .filter((p) => p.in === "path")
        .map((p) => [op.key, p.schema?.format, p.schema?.pattern] as const),
    );
    expect(pathParams.length).toBeGreaterThan(30);
    expect(
      pathParams.filter(([, format, pattern]) => format !== "uuid" && !prefixedId.test(pattern ?? "")),
    ).toEqual([]);
    expect(env.UPSTREAM_URLS ?? "").toBe("");
  });
});
