import { randomUUID } from "node:crypto";
import type { Client } from "openapi-fetch";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { paths } from "../generated/portico-api";
import { launchChromium, watchedPage } from "./support/browser";
import { demoClient } from "./support/partner";
import { newUser, seriousViolations, shot, signIn } from "./support/portal";

const origin = inject("gatewayUrl");
const control = inject("gatewayControl");
let browser: Browser;
let client: Client<paths>;

beforeAll(async () => {
  [browser, client] = await Promise.all([launchChromium(), demoClient(origin)]);
});
afterAll(async () => {
  await browser?.close();
});

describe("usage and the request log in the portal", () => {
  it("charts the traffic the test made, exports it as CSV, and lists each request with its detail", {
    timeout: 90_000,
  }, async () => {
    const key = randomUUID();
    for (let i = 0; i < 3; i++) await client.GET("/v1/payments", { params: { query: { limit: 1 } } });
    // A refused payment (no body): an error in the usage, and a request with its key in the log.
    const refused = await client.POST("/v1/payments", {
      params: { header: { "Idempotency-Key": key } },
      body: {} as never,
    });
    expect(refused.response.status).toBe(400);

    const user = await newUser(control, "viewer");
    const { page, problems, foreign } = await watchedPage(browser, origin);
    await signIn(page, user);
    let rows = 0;
    for (let i = 0; i < 50 && rows === 0; i++) {
      await page.goto("/portal/usage");
      rows = await page.locator('tr[data-usage$=" payments"]').count();
      if (rows === 0) await new Promise((r) => setTimeout(r, 200));
    }
    const row = page.locator('tr[data-usage$=" payments"]').last();
    expect(Number(await row.locator("td").nth(2).textContent())).toBeGreaterThanOrEqual(4);
    expect(await row.locator("td").nth(3).textContent()).toMatch(/^[1-9]\d* \(/);
    // uPlot drew both charts (a canvas each) from the page's data block, inside the strict CSP.
    await page.locator("#chart-calls canvas").waitFor();
    expect(await page.locator("#chart-latency canvas").count()).toBe(1);
    await shot(page, "portal-usage");
    expect(await seriousViolations(page)).toEqual([]);

    const csv = await page.evaluate(async () => {
      const res = await fetch("/portal/usage.csv");
      return {
        type: res.headers.get("Content-Type"),
        disposition: res.headers.get("Content-Disposition"),
        text: await res.text(),
      };
    });
    expect(csv.type).toContain("text/csv");
    expect(csv.disposition).toContain("attachment");
    expect(csv.text.split("\n")[0]).toContain("date");
    expect(csv.text).toContain("payments");

    await page.getByRole("navigation").getByRole("link", { name: "Request log" }).click();
    const logged = page.locator("tr[data-request]").filter({ hasText: key });
    await logged.waitFor();
    expect(await logged.locator("td").nth(3).textContent()).toBe("400");
    await shot(page, "portal-requests");
    expect(await seriousViolations(page)).toEqual([]);
    await logged.getByRole("link").click();
    expect(await page.locator("main").textContent()).toContain(key);
    expect(await page.locator("#response-body").textContent()).toContain('"code"');
    await shot(page, "portal-request-detail");
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
