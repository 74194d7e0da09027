import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { partnerWithKey, SHOP } from "./helpers";

describe("GET /elements/card", () => {
  it("serves the form for a listed origin: framable by that origin only, script by nonce, no third party", async () => {
    const { pk } = await partnerWithKey();
    const { res, body } = await call("GET", `/elements/card?key=${pk}&origin=${encodeURIComponent(SHOP)}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain(`frame-ancestors ${SHOP}`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).not.toMatch(/https?:\/\/(?!shop\.example)/);
    expect(res.headers.get("X-Frame-Options") ?? "").toBe("");
    expect(body).toContain(`<script nonce="${nonce}" src="/elements/card.js"></script>`);
    expect(body).toContain(`data-key="${pk}"`);
    expect(body).toContain(`data-parent="${SHOP}"`);
    // No inline script or handler: the only script is the served one.
    expect(body.match(/<script/g)).toHaveLength(1);
    expect(body).not.toMatch(/ on[a-z]+=/);
  });

  it("refuses an origin the contract does not list, and an unknown key, framable by no one", async () => {
    const { pk } = await partnerWithKey();
    const other = await call(
      "GET",
      `/elements/card?key=${pk}&origin=${encodeURIComponent("https://evil.example")}`,
    );
    expect(other.res.status).toBe(403);
    expect(other.res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(other.body).not.toContain(pk);
    const unknown = await call(
      "GET",
      `/elements/card?key=pk_test_nothing&origin=${encodeURIComponent(SHOP)}`,
    );
    expect(unknown.res.status).toBe(404);
    expect(unknown.res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
  });

  it("serves its script, which posts to /v1/tokens and tells only the parent's origin", async () => {
    const { res, body } = await call("GET", "/elements/card.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("javascript");
    expect(body).toContain('fetch("/v1/tokens"');
    expect(body).toContain("postMessage(");
    expect(body).toContain("parentOrigin");
    expect(body).not.toContain('"*"');
  });
});
