import { randomUUID } from "node:crypto";
import type { Client } from "openapi-fetch";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { paths } from "../generated/portico-api";
import { computedStyle, launchChromium, watchedPage } from "./support/browser";
import { demoClient, once } from "./support/partner";

const origin = inject("gatewayUrl");
let browser: Browser;
let client: Client<paths>;

beforeAll(async () => {
  [browser, client] = await Promise.all([launchChromium(), demoClient(origin)]);
});
afterAll(async () => {
  await browser?.close();
});

/** A payment that waits for its customer: its id and the page its next_action sends them to. */
async function redirectPayment(token: "pm_card_3ds" | "pm_bank_redirect") {
  const created = await client.POST("/v1/payments", {
    params: { header: once() },
    body: { id: randomUUID(), params: { amount: 150_000, currency: "UZS", payment_method_token: token } },
  });
  const payment = created.data?.result;
  const action = payment?.next_action;
  if (!payment || action?.type !== "redirect")
    throw new Error(`no redirect: ${JSON.stringify(created.data)}`);
  return { id: payment.id, status: payment.status, url: action.url };
}

async function apiStatus(id: string) {
  const { data } = await client.GET("/v1/payments/{id}", { params: { path: { id } } });
  return data?.result?.status;
}

describe("the sandbox customer pages in Chromium", () => {
  it("3-D Secure: Authenticate completes the payment, the page and the API agree, a second visit changes nothing", async () => {
    const payment = await redirectPayment("pm_card_3ds");
    expect(payment.status).toBe("requires_action");
    expect(payment.url.startsWith(`${origin}/sandbox/3ds/${payment.id}?sig=`)).toBe(true);

    const { page, problems, foreign, listening } = await watchedPage(browser, origin);
    expect((await page.goto(payment.url))?.status()).toBe(200);
    expect(await page.locator("h1").textContent()).toBe("3-D Secure check");
    expect(await page.locator("dd").allTextContents()).toContain(payment.id);
    // The inline stylesheet is allowed by its hash in the CSP: a wrong hash leaves the button unstyled.
    const authenticate = page.getByRole("button", { name: "Authenticate (success)" });
    expect(await computedStyle(authenticate, "background-color")).toBe("rgb(31, 111, 235)");

    await authenticate.click();
    await page.waitForURL(`${origin}/sandbox/3ds/${payment.id}/success?sig=*`);
    expect(await page.locator("h1").textContent()).toBe("Payment completed");
    expect(await page.locator("main p code").first().textContent()).toBe("captured");
    expect(await apiStatus(payment.id)).toBe("captured");

    await page.goto(payment.url);
    expect(await page.locator("h1").textContent()).toBe("This payment is already completed");
    expect(await page.getByRole("button").count()).toBe(0);
    expect(await apiStatus(payment.id)).toBe("captured");

    expect(await listening()).toBe(true);
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("bank: Approve payment completes a pending bank payment, as the API then says", async () => {
    const payment = await redirectPayment("pm_bank_redirect");
    expect(payment.status).toBe("pending");

    const { page, problems, foreign } = await watchedPage(browser, origin);
    await page.goto(payment.url);
    expect(await page.locator("h1").textContent()).toBe("Bank payment approval");
    await page.getByRole("button", { name: "Approve payment" }).click();
    await page.waitForURL(`${origin}/sandbox/bank/${payment.id}/succeeded?sig=*`);
    expect(await page.locator("h1").textContent()).toBe("Payment completed");
    expect(await page.locator("main p code").first().textContent()).toBe("captured");
    expect(await apiStatus(payment.id)).toBe("captured");

    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("refuses a link whose signature was tampered with, and changes nothing", async () => {
    const payment = await redirectPayment("pm_card_3ds");
    const { page, problems } = await watchedPage(browser, origin);
    const tampered = payment.url.replace(/sig=./, (m) => (m.endsWith("A") ? "sig=B" : "sig=A"));
    expect((await page.goto(tampered))?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("This link is not valid");
    expect(await apiStatus(payment.id)).toBe("requires_action");
    // Chromium logs the 404 of the document itself; nothing else may appear.
    expect(problems.filter((p) => !p.includes("status of 404"))).toEqual([]);
  });
});
