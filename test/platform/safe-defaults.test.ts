import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type OpenApiDocument, operationsOf } from "../contract/openapi";
import { BASE, call, tokenFor } from "../support/http";
import { provisionPartner } from "../support/partners";
import { expectSafeHeaders } from "../support/safe-headers";

const doc = await (await SELF.fetch(`${BASE}/openapi.json`)).json<OpenApiDocument>();
const ID = "00000000-0000-7000-8000-000000000000";
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, ID);

describe("safe defaults on every answer", () => {
  it("every documented operation, refused without credentials, carries them", async () => {
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(50);
    for (const op of operations) {
      const path = concrete(op.path);
      const r = await call(op.method, path, op.method === "POST" ? { json: { params: {} } } : {});
      expectSafeHeaders(r.res, path);
    }
  });

  it("every documented read, answered to an entitled partner, carries them and is not cached", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    for (const op of operationsOf(doc).filter((o) => o.method === "GET")) {
      const path = concrete(op.path);
      const r = await call("GET", path, { token });
      expectSafeHeaders(r.res, path);
    }
    const partner = await call("GET", "/v1/partner", { token });
    expect(partner.res.status).toBe(200);
    expect(partner.res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("the developer pages keep their own Content-Security-Policy", async () => {
    for (const path of ["/docs", "/status", "/changelog"]) {
      const res = await SELF.fetch(`${BASE}${path}`, { headers: { Accept: "text/html" } });
      await res.arrayBuffer();
      expect(res.headers.get("Content-Type"), path).toContain("text/html");
      expectSafeHeaders(res, path);
      expect(res.headers.get("Content-Security-Policy"), path).toContain("default-src 'none'");
      expect(res.headers.get("Content-Security-Policy"), path).not.toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
    }
  });

  it("answers no CORS to an origin no contract lists: a preflight and a cross-origin request get no Access-Control header", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const preflight = await SELF.fetch(`${BASE}/v1/payments`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
      },
    });
    await preflight.arrayBuffer();
    const cross = await call("GET", "/v1/partner", { token, headers: { Origin: "https://evil.example" } });
    expect(cross.res.status).toBe(200);
    for (const res of [preflight, cross.res]) {
      for (const name of [...res.headers.keys()]) expect(name.toLowerCase()).not.toMatch(/^access-control-/);
      expectSafeHeaders(res, "/v1/payments");
    }
  });

  it("a not-found and a wrong method carry them too", async () => {
    const missing = await call("GET", "/nowhere");
    expect(missing.res.status).toBe(404);
    expectSafeHeaders(missing.res, "/nowhere");
    const wrong = await call("DELETE", "/openapi.json");
    expect(wrong.res.status).toBe(405);
    expectSafeHeaders(wrong.res, "/openapi.json");
  });
});
