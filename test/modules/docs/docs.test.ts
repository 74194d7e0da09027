import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const ORIGIN = "http://portico.test";
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function get(path: string) {
  const res = await SELF.fetch(`${ORIGIN}${path}`);
  return { res, text: await res.text() };
}

/** Every URL the browser would load by itself: src/href attributes, CSS url() and @import. */
function referencedUrls(text: string): string[] {
  const patterns = [
    /\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi,
    /url\(\s*["']?([^"')]+)/gi,
    /@import\s+(?:url\(\s*)?["']?([^"');\s]+)/gi,
  ];
  return patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1] ?? ""));
}

describe("/docs", () => {
  it("serves the page with a strict CSP", async () => {
    const { res, text } = await get("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Content-Security-Policy")).toBe(CSP);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Cache-Control")).toMatch(/max-age=\d+/);
    expect(text).toContain('<script src="/docs/assets/docs.js"');
    expect(text).toContain('href="/docs/assets/docs.css"');
    expect(text).toContain('data-environment="sandbox"');
  });

  it("has no inline script and loads nothing off-origin", async () => {
    const { text } = await get("/docs");
    const scripts = [...text.matchAll(/<script\b([^>]*)>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs] of scripts) expect(attrs).toMatch(/\bsrc\s*=/);
    expect(text).not.toMatch(/<style\b|\sstyle\s*=|\son[a-z]+\s*=/i);
    for (const path of ["/docs", "/docs/assets/docs.css", "/docs/assets/docs.js"]) {
      const body = (await get(path)).text;
      for (const url of referencedUrls(body)) expect(url, `${path}: ${url}`).not.toMatch(/^(https?:)?\/\//i);
      expect(body, path).not.toMatch(/https?:\/\//i);
    }
  });

  it("serves the assets with their content types and the same headers", async () => {
    const css = await get("/docs/assets/docs.css");
    expect(css.res.status).toBe(200);
    expect(css.res.headers.get("Content-Type")).toMatch(/^text\/css/);
    expect(css.res.headers.get("Content-Security-Policy")).toBe(CSP);
    expect(css.res.headers.get("X-Content-Type-Options")).toBe("nosniff");

    const js = await get("/docs/assets/docs.js");
    expect(js.res.status).toBe(200);
    expect(js.res.headers.get("Content-Type")).toMatch(/^text\/javascript/);
    expect(js.res.headers.get("Content-Security-Policy")).toBe(CSP);
    expect(js.res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(js.text).toContain('"/openapi.json"');
    expect(js.text).toContain('"/oauth2/token"');
  });

  it("builds the DOM without HTML parsing and keeps the token out of storage", async () => {
    const { text } = await get("/docs/assets/docs.js");
    expect(text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    expect(text).not.toMatch(/localStorage|sessionStorage|indexedDB|document\.cookie/);
  });

  it("answers HEAD and refuses other methods", async () => {
    expect((await SELF.fetch(`${ORIGIN}/docs`, { method: "HEAD" })).status).toBe(200);
    const post = await SELF.fetch(`${ORIGIN}/docs`, { method: "POST" });
    expect(post.status).toBe(405);
    await post.body?.cancel();
  });
});

describe("/openapi.json for /docs", () => {
  it("publishes the error catalogue and the sandbox values", async () => {
    const res = await SELF.fetch(`${ORIGIN}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    const catalogue = doc["x-error-catalogue"];
    expect(Array.isArray(catalogue)).toBe(true);
    expect(catalogue).toContainEqual(expect.objectContaining({ code: 1, status: 500, reason: "unknown" }));
    const sandbox = doc["x-sandbox-values"];
    expect(Array.isArray(sandbox)).toBe(true);
    expect(sandbox).toContainEqual(
      expect.objectContaining({
        area: expect.any(String),
        value: expect.any(String),
        outcome: expect.any(String),
      }),
    );
  });
});
