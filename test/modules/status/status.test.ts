import { createExecutionContext, runInDurableObject, SELF, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import { PROBE_NAME } from "../../../src/modules/status/checks";
import type { StatusComponent, StatusReport } from "../../../src/modules/status/schema";
import type { Env } from "../../../src/platform/env";
import { breakerFor } from "../../../src/platform/upstream";
import { BASE } from "../../support/http";

const BROWSER_ACCEPT =
  "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8";
const CSP =
  "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const COMPONENTS = [
  "database",
  "durable_object.rate_limiter",
  "durable_object.idempotency",
  "durable_object.payments",
  "durable_object.payouts",
  "queue.events_queue",
  "queue.webhooks_queue",
  "queue.dead_letters",
  "rate_limiter",
  "connector.accounts",
  "connector.cards",
  "connector.fx",
  "connector.kyc",
  "connector.scoring",
];

const app = createApp();

/** /status through the app with some bindings replaced, as the Worker would see them. */
async function statusWith(overrides: Partial<Env>, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${BASE}/status`, init), { ...env, ...overrides } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return { res, text: await res.text() };
}

const report = (text: string) => JSON.parse(text) as StatusReport;
const component = (r: StatusReport, name: string): StatusComponent | undefined =>
  r.components.find((c) => c.name === name);

/** Every secret value the test Worker holds: none may appear on the page. */
function secrets(): string[] {
  const keys = JSON.parse(env.JWT_SIGNING_KEYS ?? "[]") as { d?: string }[];
  return [
    ...keys.flatMap((k) => (k.d ? [k.d] : [])),
    env.WEBHOOK_SECRETS_KEY ?? "",
    env.TEST_UPSTASH_TOKEN,
  ].filter((s) => s.length > 0);
}

// The first call wakes each Durable Object; under load that can take longer than a probe's deadline.
beforeAll(async () => {
  await (await SELF.fetch(`${BASE}/status`)).text();
});

afterEach(() => {
  breakerFor("cards").success();
  vi.restoreAllMocks();
});

describe("GET /status for machines", () => {
  it("answers JSON without an Accept header, for */* and for application/json", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { Accept: "*/*" },
      { Accept: "application/json" },
      { Accept: "text/html;q=0.5, application/json" },
    ]) {
      const res = await SELF.fetch(`${BASE}/status`, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
      expect(res.headers.get("Vary")).toBe("Accept");
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      const body = await res.json<StatusReport>();
      expect(body).toMatchObject({ status: "operational", environment: "sandbox", version: "1.0.0" });
      expect(Date.now() - Date.parse(body.time)).toBeLessThan(60_000);
    }
  });

  it("probes every component, each ok in the test environment", async () => {
    const body = await (await SELF.fetch(`${BASE}/status`)).json<StatusReport>();
    expect(body.components.map((c) => c.name)).toEqual(COMPONENTS);
    for (const c of body.components) {
      expect(c, c.name).toMatchObject({ status: "ok" });
      expect(c.latency_ms).toBeGreaterThanOrEqual(0);
      expect(c.detail.length).toBeGreaterThan(0);
    }
    expect(component(body, "queue.events_queue")?.detail).toContain("binding check only");
    expect(component(body, "rate_limiter")?.detail).toContain("durable-object");
    expect(component(body, "connector.cards")).toMatchObject({
      breaker: "closed",
      detail: expect.stringContaining("sandbox"),
    });
  });

  it("sends nothing into the queues and leaves the probe objects without state", async () => {
    const spies = [env.EVENTS_QUEUE, env.WEBHOOKS_QUEUE, env.DEAD_LETTERS].flatMap((q) => [
      vi.spyOn(q, "send"),
      vi.spyOn(q, "sendBatch"),
    ]);
    const { res } = await statusWith({});
    expect(res.status).toBe(200);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    for (const ns of [env.RATE_LIMITER, env.IDEMPOTENCY, env.PAYMENTS, env.PAYOUTS] as const) {
      const stub = ns.get(ns.idFromName(PROBE_NAME));
      const keys = await runInDurableObject(stub, (_instance: unknown, state) => [
        ...state.storage.kv.list(),
      ]);
      expect(keys).toEqual([]);
    }
  });

  it("HEAD answers the headers without a body", async () => {
    const res = await SELF.fetch(`${BASE}/status`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await res.text()).toBe("");
    const page = await SELF.fetch(`${BASE}/status`, { method: "HEAD", headers: { Accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toBe("");
  });
});

describe("GET /status for a browser", () => {
  it("answers a page with a strict CSP, no caching and no sniffing", async () => {
    const res = await SELF.fetch(`${BASE}/status`, { headers: { Accept: BROWSER_ACCEPT } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("Content-Security-Policy")).toBe(CSP);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Vary")).toBe("Accept");
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("All systems operational");
    for (const name of COMPONENTS) expect(html).toContain(`<code>${name}</code>`);
    // Nothing inline for the CSP to refuse.
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
  });

  it("references only same-origin assets, each served with its content type", async () => {
    const html = await (await SELF.fetch(`${BASE}/status`, { headers: { Accept: BROWSER_ACCEPT } })).text();
    expect(html).not.toMatch(/https?:\/\//);
    const refs = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(refs).toContain("/status/assets/status.css");
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^\/[^/]/);
      const res = await SELF.fetch(`${BASE}${ref}`);
      expect(res.status, ref).toBe(200);
      await res.arrayBuffer();
    }
    const css = await SELF.fetch(`${BASE}/status/assets/status.css`);
    expect(css.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const text = await css.text();
    expect(text).toContain(".badge.ok");
    expect(text).not.toMatch(/url\(|@import|https?:\/\//);
  });
});

describe("GET /status with failing components", () => {
  it("shows an open breaker as degraded, with no upstream address or token", async () => {
    const upstream = {
      UPSTREAM_URLS: JSON.stringify({ cards: "https://cards-user:cards-pass@cards.bank.internal/api/" }),
      UPSTREAM_TOKENS: JSON.stringify({ cards: "upstream-token-do-not-show" }),
    };
    const closed = await statusWith(upstream);
    expect(component(report(closed.text), "connector.cards")).toMatchObject({
      status: "ok",
      breaker: "closed",
    });
    const breaker = breakerFor("cards");
    for (let i = 0; i < breaker.threshold; i++) breaker.failure();

    const json = await statusWith(upstream);
    expect(json.res.status).toBe(200);
    const body = report(json.text);
    expect(body.status).toBe("degraded");
    expect(component(body, "connector.cards")).toMatchObject({
      status: "degraded",
      breaker: "open",
      detail: expect.stringMatching(/breaker open, next try in \d+ s/),
    });
    expect(component(body, "connector.fx")).toMatchObject({ status: "ok", breaker: "closed" });
    const page = await statusWith(upstream, { headers: { Accept: BROWSER_ACCEPT } });
    expect(page.res.status).toBe(200);
    expect(page.text).toContain("Degraded");
    expect(page.text).toContain("breaker open");
    for (const text of [json.text, page.text]) {
      for (const leak of ["cards.bank.internal", "cards-pass", "upstream-token-do-not-show"])
        expect(text).not.toContain(leak);
    }
  });

  it("answers 503 down when D1 fails, as JSON and as a page", async () => {
    const brokenD1 = {
      prepare() {
        throw new Error("D1_ERROR: simulated outage at secret-host.internal");
      },
    } as unknown as D1Database;
    const json = await statusWith({ DB: brokenD1 });
    expect(json.res.status).toBe(503);
    const body = report(json.text);
    expect(body.status).toBe("down");
    expect(component(body, "database")).toMatchObject({
      status: "down",
      detail: "D1 did not answer select 1",
    });
    expect(component(body, "durable_object.payments")?.status).toBe("ok");
    expect(json.text).not.toContain("secret-host");
    const page = await statusWith({ DB: brokenD1 }, { headers: { Accept: BROWSER_ACCEPT } });
    expect(page.res.status).toBe(503);
    expect(page.res.headers.get("Content-Security-Policy")).toBe(CSP);
    expect(page.text).toContain("Down: the gateway cannot serve requests");
  });

  it("times out a hanging D1 as down without hanging the page", async () => {
    const hanging = new Promise<never>(() => {});
    const statement = { bind: () => statement, run: () => hanging, all: () => hanging, raw: () => hanging };
    const hangingD1 = { prepare: () => statement } as unknown as D1Database;
    const { res, text } = await statusWith({ DB: hangingD1 });
    expect(res.status).toBe(503);
    expect(component(report(text), "database")).toMatchObject({
      status: "down",
      detail: "D1 did not answer select 1 within 400 ms",
    });
  });

  it("reports an unbound queue producer and a limiter that does not answer as degraded", async () => {
    const { res, text } = await statusWith({
      DEAD_LETTERS: undefined,
      UPSTASH_REDIS_REST_URL: env.TEST_BLACKHOLE_URL,
      UPSTASH_REDIS_REST_TOKEN: "t",
    });
    expect(res.status).toBe(200);
    const body = report(text);
    expect(body.status).toBe("degraded");
    expect(component(body, "queue.dead_letters")).toMatchObject({
      status: "down",
      detail: "binding check only: the DEAD_LETTERS producer is not bound",
    });
    expect(component(body, "rate_limiter")).toMatchObject({
      status: "down",
      detail: expect.stringContaining("the upstash limiter did not answer; /v1 requests fail open"),
    });
    expect(text).not.toContain(env.TEST_BLACKHOLE_URL);
  });

  it("probes Upstash on a reserved key when it is the limiter", async () => {
    const upstash = {
      UPSTASH_REDIS_REST_URL: env.TEST_UPSTASH_URL,
      UPSTASH_REDIS_REST_TOKEN: env.TEST_UPSTASH_TOKEN,
    };
    const { text } = await statusWith(upstash);
    expect(component(report(text), "rate_limiter")).toMatchObject({
      status: "ok",
      detail: "the upstash limiter answered a probe on a reserved key",
    });
    const page = await statusWith(upstash, { headers: { Accept: BROWSER_ACCEPT } });
    for (const body of [text, page.text]) {
      expect(body).not.toContain(env.TEST_UPSTASH_URL);
      for (const secret of secrets()) expect(body).not.toContain(secret);
    }
  });

  it("never shows a secret of the Worker", async () => {
    expect(secrets().length).toBeGreaterThanOrEqual(3);
    const json = await (await SELF.fetch(`${BASE}/status`)).text();
    const html = await (await SELF.fetch(`${BASE}/status`, { headers: { Accept: BROWSER_ACCEPT } })).text();
    for (const body of [json, html]) for (const secret of secrets()) expect(body).not.toContain(secret);
  });
});

describe("/status in the OpenAPI document", () => {
  it("documents getStatus with its JSON report, its page and the 503", async () => {
    const doc = await (await SELF.fetch(`${BASE}/openapi.json`)).json<{
      paths: Record<
        string,
        { get?: Record<string, unknown> & { responses: Record<string, { content: object }> } }
      >;
      components: { schemas: Record<string, unknown> };
    }>();
    const op = doc.paths["/status"]?.get;
    expect(op).toMatchObject({ operationId: "getStatus", tags: ["Status"], security: [] });
    for (const code of ["200", "503"]) {
      expect(op?.responses[code]?.content).toMatchObject({
        "application/json": { schema: { $ref: "#/components/schemas/StatusReport" } },
        "text/html": { schema: { type: "string" } },
      });
    }
    expect(doc.components.schemas.StatusReport).toBeDefined();
    expect(doc.components.schemas.StatusComponent).toBeDefined();
  });
});
