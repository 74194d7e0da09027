import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { computedStyle, launchChromium, watchedPage } from "./support/browser";

const origin = inject("gatewayUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

interface Report {
  status: string;
  components: { name: string; kind: string; status: string }[];
}

describe("/status in Chromium", () => {
  it("renders every component under its section, styled, with no CSP violation or console error", async () => {
    const { page, problems, foreign, listening } = await watchedPage(browser, origin);
    const response = await page.goto("/status");
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-type"]).toContain("text/html");

    await expect.poll(() => page.locator("h1").textContent()).toBe("All systems operational");
    const sections = await page.locator("section h2").allTextContents();
    expect(sections).toEqual(["Database", "Durable Objects", "Queues", "Rate limiter", "Bank connectors"]);
    const rowsOf = (section: string) =>
      page.locator("section", { has: page.locator("h2", { hasText: section }) }).locator("tbody tr code");
    expect(await rowsOf("Database").allTextContents()).toEqual(["database"]);
    expect(await rowsOf("Durable Objects").allTextContents()).toEqual([
      "durable_object.rate_limiter",
      "durable_object.idempotency",
      "durable_object.payments",
      "durable_object.payouts",
    ]);
    expect(await rowsOf("Queues").allTextContents()).toEqual([
      "queue.events_queue",
      "queue.webhooks_queue",
      "queue.dead_letters",
    ]);
    expect(await rowsOf("Rate limiter").allTextContents()).toEqual(["rate_limiter"]);
    expect(await rowsOf("Bank connectors").allTextContents()).toEqual([
      "connector.accounts",
      "connector.cards",
      "connector.fx",
      "connector.kyc",
      "connector.scoring",
    ]);
    await expect.poll(() => page.locator(".badge.ok").count()).toBe(14);
    await expect.poll(() => page.locator(".badge:not(.ok)").count()).toBe(0);

    // The stylesheet arrived and applied: a bare <span> is inline, square and transparent.
    const badge = page.locator(".badge").first();
    expect(await computedStyle(badge, "display")).toBe("inline-block");
    expect(await computedStyle(badge, "border-top-left-radius")).not.toBe("0px");
    expect(await computedStyle(badge, "background-color")).not.toBe("rgba(0, 0, 0, 0)");

    expect(await listening()).toBe(true);
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("answers the same address with the JSON report when the page's own fetch asks for JSON", async () => {
    // The page's CSP (default-src 'none') refuses any fetch from it, the test's own included.
    // Its problems are the first test's business: without the CSP Chromium asks for /favicon.ico (404).
    const { page } = await watchedPage(browser, origin, { bypassCSP: true });
    await page.goto("/status");
    const rowNames = await page.locator("tbody tr code").allTextContents();
    const answer = await page.evaluate(async () => {
      const res = await fetch("/status", { headers: { Accept: "application/json" } });
      return {
        status: res.status,
        type: res.headers.get("content-type"),
        vary: res.headers.get("vary"),
        body: await res.text(),
      };
    });
    expect(answer.status).toBe(200);
    expect(answer.type).toContain("application/json");
    expect(answer.vary).toContain("Accept");
    const report = JSON.parse(answer.body) as Report;
    expect(report.status).toBe("operational");
    expect(report.components.map((c) => c.name).sort()).toEqual([...rowNames].sort());
  });

  it("reports a CSP violation when one happens, so the checks above can fail", async () => {
    const { page, problems } = await watchedPage(browser, origin);
    await page.goto("/status");
    // An inline style: style-src 'self' refuses it, the way it would refuse a regression's.
    await expect(page.addStyleTag({ content: "body { color: red }" })).rejects.toThrow(
      /Content Security Policy/,
    );
    await expect.poll(() => problems.join("\n")).toContain("CSP violation: style-src");
  });
});
