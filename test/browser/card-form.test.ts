import { randomUUID } from "node:crypto";
import type { Client } from "openapi-fetch";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { paths } from "../generated/portico-api";
import { launchChromium } from "./support/browser";
import { sql } from "./support/control";
import { DEMO, demoClient, once } from "./support/partner";

const origin = inject("gatewayUrl");
const control = inject("gatewayControl");
// The partner's shop: another origin than the gateway's, served by the browser itself. A
// `.localhost` name, so that Chromium's local-network checks let its page frame the local gateway.
const SHOP = "https://shop.localhost";
let browser: Browser;
let client: Client<paths>;

beforeAll(async () => {
  [browser, client] = await Promise.all([launchChromium(), demoClient(origin)]);
  const [credential] = await sql<{ partner_id: string }>(
    control,
    "SELECT partner_id FROM partner_credentials WHERE consumer_key = ?",
    DEMO.consumerKey,
  );
  if (!credential) throw new Error("no demo partner");
  await sql(
    control,
    "UPDATE partner_contracts SET cors_origins = json_insert(cors_origins, '$[#]', ?) WHERE partner_id = ? AND NOT EXISTS (SELECT 1 FROM json_each(cors_origins) WHERE value = ?)",
    SHOP,
    credential.partner_id,
    SHOP,
  );
});
afterAll(async () => {
  await browser?.close();
});

describe("the hosted card form in Chromium", () => {
  it("embedded on another origin: a test card typed in, the pm_ token received by postMessage, paid with", async () => {
    const made = await client.POST("/v1/partner/publishable_keys", {
      params: { header: once() },
      body: { params: {} },
    });
    const key = made.data?.result?.key;
    if (!key) throw new Error(`no publishable key: ${JSON.stringify(made.data)}`);
    const src = `${origin}/elements/card?key=${encodeURIComponent(key)}&origin=${encodeURIComponent(SHOP)}`;
    // The shop page is "public" to Chromium (served by interception), the gateway local: allow the frame.
    const context = await browser.newContext({ permissions: ["local-network-access"] });
    const page = await context.newPage();
    await page.route(`${SHOP}/**`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><title>Shop</title><iframe id="card" src="${src}" style="width:400px;height:260px"></iframe>
<script>window.received = new Promise((resolve) => addEventListener("message", (e) => {
  if (e.origin === ${JSON.stringify(origin)} && e.data && e.data.type === "portico.card") resolve(e.data);
}));</script>`,
      }),
    );
    const seen: string[] = [];
    page.on("console", (m) => seen.push(`${m.type()}: ${m.text()}`));
    page.on("requestfailed", (r) => seen.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
    await page.goto(`${SHOP}/checkout`);
    const frame = page.frameLocator("#card");
    await frame
      .locator("#number")
      .fill("4000 0025 0000 0003", { timeout: 8000 })
      .catch((e) => {
        throw new Error(`${e}\n${seen.join("\n")}`);
      });
    await frame.locator("#exp_month").fill("12");
    await frame.locator("#exp_year").fill("2031");
    await frame.locator("#cvc").fill("123");
    await frame.getByRole("button", { name: "Use this card" }).click();
    const message = (await page.evaluate("window.received")) as { token: string; card: { last4: string } };
    expect(message.token).toMatch(/^pm_/);
    expect(message.card.last4).toBe("0003");
    // The parent page holds the token only: never the number.
    expect(JSON.stringify(message)).not.toContain("4000002500000003");

    const paid = await client.POST("/v1/payments", {
      params: { header: once() },
      body: {
        id: randomUUID(),
        params: { amount: 150_000, currency: "UZS", payment_method_token: message.token },
      },
    });
    expect(paid.data?.result).toMatchObject({
      status: "captured",
      payment_method: { type: "card", card: { brand: "visa", first6: "400000", last4: "0003" } },
    });
    await context.close();
  });

  it("refuses to be framed by an origin the contract does not list", async () => {
    const made = await client.POST("/v1/partner/publishable_keys", {
      params: { header: once() },
      body: { params: {} },
    });
    const key = made.data?.result?.key ?? "";
    const res = await fetch(
      `${origin}/elements/card?key=${key}&origin=${encodeURIComponent("https://evil.example")}`,
    );
    expect(res.status).toBe(403);
    expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
  });
});
