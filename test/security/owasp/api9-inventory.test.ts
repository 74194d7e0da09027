import { createExecutionContext, SELF, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { isProductionOnlyPath } from "../../../src/modules";
import type { Env } from "../../../src/platform/env";
import { type OpenApiDocument, operationsOf } from "../../contract/openapi";
import { admin, adminCall } from "../../support/admin";
import { BASE } from "../../support/http";

// OWASP API9:2023 (improper inventory): every route the gateway serves is either in the OpenAPI
// document or one of the few public pages below, the sandbox's own routes do not exist in
// production (nor does production's document list them), and no debug, framework or other
// version's path answers. The admin API's routes are documented in their own document
// (/admin/openapi.json, behind Cloudflare Access), never in the partners' one.
const app = createApp();
const doc = await (await SELF.fetch(`${BASE}/openapi.json`)).json<OpenApiDocument>();
const adminDoc = (await adminCall("GET", "/admin/openapi.json", { token: (await admin("viewer")).token }))
  .body as OpenApiDocument;
const sandboxDocumented = operationsOf(doc).map((op) => `${op.method} ${op.path}`);
const partnerOps = sandboxDocumented;
const adminOps = operationsOf(adminDoc).map((op) => `${op.method} ${op.path}`);

/** Served but not API operations: the developer pages, discovery, and the sandbox's test pages. */
const PAGES = [
  /^GET \/openapi\.json$/,
  /^GET \/admin\/openapi\.json$/,
  /^GET \/docs(\/assets\/[\w.-]+)?$/,
  /^GET \/changelog$/,
  /^GET \/status(\/assets\/[\w.-]+)?$/,
  /^GET \/\.well-known\/(jwks\.json|oauth-authorization-server)$/,
  /^(GET|POST) \/sandbox\//,
  // The HTTP acquirer's signed dispute notifications: for the acquirer, not partners (docs/disputes.md).
  /^POST \/connectors\/acquirer-http\/notifications$/,
  // The developer portal's pages (docs/portal.md): HTML, each of them calls the documented API.
  /^(GET|POST|ALL) \/portal(\/|$)/,
  // The platform team's console (docs/admin.md): HTML, each of its actions an admin API call.
  /^(GET|POST|ALL) \/console(\/|$)/,
  // The hosted card form (docs/payment-methods.md#the-hosted-card-form): a page and its script,
  // framed by the partner's page; the card goes through the documented POST /v1/tokens.
  /^GET \/elements\/card(\.js)?$/,
  // The bank's customer pages of the consent authorisation (docs/consent-authorisation.md): HTML for
  // the customer's browser, entered through the documented POST /oauth2/par's request_uri.
  /^GET \/authorize(\/assets\/[\w.-]+)?$/,
  /^(GET|POST) \/authorize\/(login|sca|consent)$/,
];

/** Production's own operations (the control plane: onboarding, terms), in production's document only. */
const productionOnly = (key: string) => isProductionOnlyPath(key.split(" ")[1] ?? "");

const served = app.routes
  .filter((r) => r.method !== "ALL")
  .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
const unique = [...new Set(served)];

const production = JSON.parse((await inProduction("GET", "/openapi.json")).text) as OpenApiDocument;
/** Every operation either environment documents. */
const documented = new Set([
  ...sandboxDocumented,
  ...adminOps,
  ...operationsOf(production).map((op) => op.key),
]);

async function inProduction(method: string, path: string) {
  const ctx = createExecutionContext();
  const overrides: Partial<Env> = { ENVIRONMENT: "production", WEBHOOK_ALLOW_LOOPBACK: "false" };
  const res = await app.fetch(
    new Request(`${BASE}${path}`, { method }),
    { ...env, ...overrides } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, text: await res.text() };
}

describe("OWASP API9:2023 Improper Inventory Management", () => {
  it("every route served is documented, or is one of the public pages", () => {
    expect(unique.length).toBeGreaterThan(50);
    const unlisted = unique.filter((r) => !documented.has(r) && !PAGES.some((p) => p.test(r)));
    expect(unlisted).toEqual([]);
  });

  it("the partners' document lists no admin route, and the admin document only admin routes", () => {
    expect(partnerOps.filter((op) => op.includes(" /admin"))).toEqual([]);
    expect(adminOps.length).toBeGreaterThan(15);
    expect(adminOps.filter((op) => !op.includes(" /admin/v1/"))).toEqual([]);
  });

  it("every documented operation is served", () => {
    const missing = [...documented].filter((op) => !unique.includes(op));
    expect(missing).toEqual([]);
  });

  it("the sandbox's own routes answer 404 in production, as a path that never existed", async () => {
    const sandboxOnly = unique.filter((r) => r.includes("/sandbox/"));
    expect(sandboxOnly.length).toBeGreaterThan(5);
    const id = "00000000-0000-7000-8000-000000000000";
    const never = JSON.parse((await inProduction("GET", "/never-existed")).text).error;
    for (const route of sandboxOnly) {
      const [method = "GET", template = "/"] = route.split(" ");
      const path = template.replace(/\{\w+\}/g, id);
      const answer = await inProduction(method, path);
      expect(answer.status, route).toBe(404);
      const error = JSON.parse(answer.text).error;
      expect({ code: error.code, reason: error.reason }, route).toEqual({
        code: never.code,
        reason: never.reason,
      });
    }
  });

  it("production's own routes answer 404 in the sandbox, as a path that never existed, and only its document lists them", async () => {
    const own = unique.filter(productionOnly);
    expect(own.length).toBeGreaterThanOrEqual(4);
    expect(sandboxDocumented.filter(productionOnly)).toEqual([]);
    const never = (await SELF.fetch(`${BASE}/never-existed`).then((r) => r.json())) as {
      error: { code: number };
    };
    const { token } = await admin("admin");
    for (const route of own) {
      const [method = "GET", path = "/"] = route.split(" ");
      if (path.startsWith("/admin/")) {
        // An admin path that never existed: 401 without Access, 404 once authenticated.
        const anonymous = await adminCall(method, path);
        expect([route, anonymous.res.status, anonymous.body.error.code]).toEqual([route, 401, 100]);
        const authenticated = await adminCall(method, path, { token });
        expect([route, authenticated.res.status, authenticated.body.error.code]).toEqual([route, 404, 31]);
        continue;
      }
      const res = await SELF.fetch(`${BASE}${path}`, { method });
      expect(res.status, route).toBe(404);
      expect(((await res.json()) as { error: { code: number } }).error.code, route).toBe(never.error.code);
    }
    // Nothing of them was published in the sandbox.
    expect(await env.DB.prepare("SELECT count(*) AS n FROM terms_documents").first("n")).toBe(0);
  });

  it("the document production publishes lists only what production serves", async () => {
    const published = JSON.parse((await inProduction("GET", "/openapi.json")).text) as OpenApiDocument;
    const listed = operationsOf(published).map((op) => op.key);
    expect(listed.length).toBeGreaterThan(50);
    expect(listed.filter((key) => key.includes("/sandbox/"))).toEqual([]);
    const partnerDocumented = [...documented].filter((key) => !adminOps.includes(key));
    expect(listed.sort()).toEqual(partnerDocumented.filter((key) => !key.includes("/sandbox/")).sort());
  });

  it("no other version of a documented operation answers in production", async () => {
    const id = "00000000-0000-7000-8000-000000000000";
    for (const key of documented) {
      const [method = "GET", template = "/"] = key.split(" ");
      if (!template.startsWith("/v1/")) continue;
      for (const version of ["v0", "v2", "beta", "internal"]) {
        const path = template.replace("/v1/", `/${version}/`).replace(/\{\w+\}/g, id);
        const answer = await inProduction(method, path);
        expect(answer.status, `${method} ${path}`).toBe(404);
        expect(JSON.parse(answer.text).error.code, `${method} ${path}`).toBe(31);
      }
    }
  });

  it("no debug or framework endpoint answers in production", async () => {
    for (const path of [
      "/debug",
      "/_debug",
      "/__scheduled",
      "/admin",
      "/.env",
      "/v0/partner",
      "/v2/partner",
      "/metrics",
    ]) {
      const answer = await inProduction("GET", path);
      expect(answer.status, path).toBe(404);
    }
  });
});
