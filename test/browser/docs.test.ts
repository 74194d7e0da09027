import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, pageWidth, type Watched, watchedPage } from "./support/browser";
import { SCREENSHOTS } from "./support/portal";

// Only inside page callbacks, which run in Chromium (tsconfig.node.json has no DOM lib).
declare const navigator: { clipboard: { readText(): Promise<string> } };

const origin = inject("gatewayUrl");
const METHODS = ["get", "post", "put", "patch", "delete"];
let browser: Browser;
// One page for the file, as one partner's visit: rendering /docs from the document is most of
// this file's time on a 2-core machine.
let docs: Watched;

beforeAll(async () => {
  browser = await launchChromium();
  docs = await watchedPage(browser, origin);
  await docs.page.goto("/docs");
  await docs.page.locator("article.op").first().waitFor();
});
afterAll(async () => {
  await browser?.close();
});

interface Envelope {
  result: Record<string, unknown> | null;
  error: { code: number; reason: string } | null;
}

/** What the panel shows after Send: the status line ("200 OK") and the body it printed. */
interface Answer {
  status: string;
  body: Envelope;
}

async function getToken(page: Page): Promise<void> {
  const panel = page.locator("#try-token");
  await panel.getByLabel("Consumer key").fill("ck_test_demo");
  await panel.getByLabel("Consumer secret").fill("cs_test_demo_secret");
  await panel.getByRole("button", { name: "Get token", exact: true }).click();
  await expect.poll(() => page.locator("#token-status").textContent()).toMatch(/^Token active, \d+ min left/);
}

/** An operation's Try it panel, found by its article (`op-<operationId>`) and its visible text. */
function tryIt(page: Page, operationId: string) {
  const form = page.locator(`#op-${operationId} details.try`);
  return {
    form,
    async open() {
      await form.locator("summary", { hasText: "Try it" }).click();
      await form.getByRole("button", { name: "Send", exact: true }).waitFor();
    },
    field: (label: string): Locator => form.getByLabel(label, { exact: true }),
    async send(): Promise<Answer> {
      await form.getByRole("button", { name: "Send", exact: true }).click();
      const status = form.locator(".result .result-head .status");
      await status.waitFor();
      const body = JSON.parse((await form.locator(".result pre").textContent()) ?? "") as Envelope;
      return { status: (await status.textContent()) ?? "", body };
    },
  };
}

describe("/docs in Chromium", () => {
  it("renders one article per operation of /openapi.json, with no CSP violation, console error or other origin", async () => {
    const spec = (await (await fetch(`${origin}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const operationIds = Object.values(spec.paths).flatMap((item) =>
      METHODS.flatMap((m) => (item[m]?.operationId ? [`op-${item[m].operationId}`] : [])),
    );
    expect(operationIds.length).toBeGreaterThan(50);

    const { page, problems, foreign, listening } = docs;
    // Grouped by tag on the page, so in another order than the document's paths.
    const articles = await page.locator("article.op").evaluateAll((els) => els.map((el) => el.id));
    expect(articles.sort()).toEqual(operationIds.sort());
    await expect.poll(() => page.locator("#op-createPayment h3").textContent()).toBe("Create a payment");
    expect(await page.locator("#nav a .m").count()).toBe(operationIds.length);
    expect(await page.locator("#api-server").textContent()).toBe(origin);
    expect(await page.locator(".loading").count()).toBe(0);
    expect(await page.locator("#errors tbody tr").count()).toBeGreaterThan(10);

    expect(await listening()).toBe(true);
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("runs a partner's session: token, payment, webhook endpoint, rotate its secret with no body, delete it", async () => {
    const { page, problems, foreign } = docs;
    await getToken(page);

    const payment = tryIt(page, "createPayment");
    await payment.open();
    const example = JSON.parse(await payment.field("Body (application/json)").inputValue()) as {
      params: Record<string, unknown>;
    };
    expect(example.params).toMatchObject({
      amount: 150000,
      currency: "UZS",
      payment_method_token: "pm_card_visa",
    });
    const paid = await payment.send();
    expect(paid.status).toBe("200 OK");
    expect(paid.body.error).toBeNull();
    expect(paid.body.result).toMatchObject({ status: "captured", amount: 150000, currency: "UZS" });

    const create = tryIt(page, "createWebhookEndpoint");
    await create.open();
    const created = await create.send();
    expect(created.status).toBe("200 OK");
    const endpoint = created.body.result;
    expect(endpoint?.secret).toMatch(/^whsec_/);
    const id = String(endpoint?.id);

    const rotate = tryIt(page, "rotateWebhookEndpointSecret");
    await rotate.open();
    // A bodyless operation: the panel offers no body field and sends none.
    expect(await rotate.form.locator("textarea").count()).toBe(0);
    await rotate.field("id (path, required)").fill(id);
    const sent = page.waitForRequest((r) => r.url().endsWith(`/v1/webhook_endpoints/${id}/rotate_secret`));
    const rotated = await rotate.send();
    const request = await sent;
    expect(request.method()).toBe("POST");
    expect(request.postData()).toBeNull();
    expect(request.headers().authorization).toMatch(/^Bearer ey/);
    expect(request.headers()["content-type"]).toBeUndefined();
    expect(rotated.status).toBe("200 OK");
    expect(rotated.body.result?.id).toBe(id);
    expect(rotated.body.result?.secret).toMatch(/^whsec_/);
    expect(rotated.body.result?.secret).not.toBe(endpoint?.secret);

    // Tidy: no later payment event is delivered to the example's (unreachable) address.
    const remove = tryIt(page, "deleteWebhookEndpoint");
    await remove.open();
    await remove.field("id (path, required)").fill(id);
    expect((await remove.send()).status).toBe("200 OK");

    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  // About 10 s alone; the page is large, and on a busy 2-core machine each look at it is slow.
  it("shows each operation's code samples as tabs: arrow keys, Home and End, the choice carried to every block, Copy, 390 px", {
    timeout: 90_000,
  }, async () => {
    const { page, problems, foreign } = docs;
    const spec = (await (await fetch(`${origin}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { "x-codeSamples": { lang: string; source: string }[] }>>;
    };
    const sources = (spec.paths["/v1/payments"]?.post?.["x-codeSamples"] ?? []).map((s) => s.source);
    expect(sources).toHaveLength(3);
    expect(await page.locator("article.op section.samples").count()).toBe(
      await page.locator("article.op").count(),
    );

    const block = page.locator("#op-createPayment section.samples");
    const tabs = block.getByRole("tab");
    expect(await block.getByRole("tablist", { name: "Code samples" }).count()).toBe(1);
    expect(await tabs.allTextContents()).toEqual(["curl", "TypeScript", "Python"]);
    // One round trip per look: on a page this size each locator query takes a while.
    const selected = () =>
      block.evaluate((el) => {
        const tab = el.querySelector('[role="tab"][aria-selected="true"]');
        const shown = [...el.querySelectorAll('[role="tabpanel"]')].filter((p) => !p.hasAttribute("hidden"));
        return {
          tab: tab?.textContent,
          focused: el.ownerDocument.activeElement?.id,
          panels: shown.length,
          code: shown[0]?.querySelector("pre")?.textContent,
          labelledBy: shown[0]?.getAttribute("aria-labelledby"),
          // The code scrolls, so the keyboard must reach it (axe: scrollable-region-focusable).
          codeTabindex: shown[0]?.querySelector("pre")?.getAttribute("tabindex"),
        };
      });
    const ids = await tabs.evaluateAll((els) => els.map((el) => el.id));
    const tabId = (i: number) => ids[i];
    expect(await selected()).toMatchObject({
      tab: "curl",
      panels: 1,
      code: sources[0],
      labelledBy: tabId(0),
      codeTabindex: "0",
    });
    // One tab stop: the selected tab; the others are reached with the arrow keys.
    expect(await tabs.evaluateAll((els) => els.map((el) => el.getAttribute("tabindex")))).toEqual([
      "0",
      "-1",
      "-1",
    ]);

    await tabs.nth(0).focus();
    await page.keyboard.press("ArrowRight");
    expect(await selected()).toMatchObject({
      tab: "TypeScript",
      focused: tabId(1),
      panels: 1,
      code: sources[1],
    });
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    expect(await selected()).toMatchObject({ tab: "Python", focused: tabId(2), code: sources[2] });
    await page.keyboard.press("Home");
    expect(await selected()).toMatchObject({ tab: "curl", focused: tabId(0) });
    await page.keyboard.press("End");
    expect(await selected()).toMatchObject({ tab: "Python", focused: tabId(2) });
    // The language chosen is the one every other operation shows.
    expect(await page.locator("#op-getPartner").getByRole("tab", { selected: true }).textContent()).toBe(
      "Python",
    );

    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    await block.getByRole("button", { name: "Copy", exact: true }).click();
    await expect.poll(() => block.getByRole("status").textContent()).toBe("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(sources[2]);

    // A phone: the block wraps and its code scrolls inside it, the page does not scroll sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await block.scrollIntoViewIfNeeded();
    const box = await block.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await block.screenshot({ path: join(SCREENSHOTS, "docs-code-samples-390px.png") });
    await page.setViewportSize({ width: 1280, height: 720 });

    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("sends a POST with the panel's own Idempotency-Key, without asking for a second one", async () => {
    const quote = tryIt(docs.page, "createFxQuote");
    await quote.open();
    await quote.form.getByRole("button", { name: "Send", exact: true }).click();
    expect(await quote.form.locator(".row .hint").textContent()).not.toContain("Fill in");
  });
});
