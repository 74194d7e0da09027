import { randomUUID } from "node:crypto";
import type { Client } from "openapi-fetch";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { unstable_splitSqlQuery } from "wrangler";
import { partnerSql } from "../../scripts/lib/sql";
import { buildPartner } from "../../src/modules/partners/provisioning";
import { VERSIONS } from "../../src/platform/versions/registry";
import type { paths } from "../generated/portico-api";
import { startWebhookReceiver } from "../node/webhook-receiver";
import { consolePerson } from "./support/access";
import { launchChromium, pageWidth, until } from "./support/browser";
import { sql } from "./support/control";
import { demoClient, once } from "./support/partner";
import { DEMO_PARTNER_ID, seriousViolations, shot } from "./support/portal";

const origin = inject("gatewayUrl");
const control = inject("gatewayControl");
const access = inject("gatewayAccess");
let browser: Browser;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let client: Client<paths>;

beforeAll(async () => {
  [browser, receiver, client] = await Promise.all([
    launchChromium(),
    startWebhookReceiver(),
    demoClient(origin),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await receiver?.close();
});

/** The demo partner's fx rates call, as a partner makes it: its status and error code. */
async function fxRates() {
  const r = await client.GET("/v1/fx/rates", {
    params: { query: { sell_currency: "USD", buy_currency: "UZS" } },
  });
  return {
    status: r.response.status,
    code: (r.error as { error?: { code: number } } | undefined)?.error?.code,
  };
}

/** A partner of its own for this file, written to D1 as provisioning writes one. */
async function newPartner(name: string) {
  const built = await buildPartner({
    name,
    environment: "sandbox",
    tier: "standard",
    products: ["payments"],
  });
  for (const statement of unstable_splitSqlQuery(partnerSql(built, false))) await sql(control, statement);
  return built.secrets.partnerId;
}

const statusOf = async (id: string) =>
  (await sql<{ status: string }>(control, "SELECT status FROM partners WHERE id = ?", id))[0]?.status;

describe("the platform console in Chromium", () => {
  it("finds a partner, suspends it (operator), and reactivates it with two approvers (maker-checker)", {
    timeout: 90_000,
  }, async () => {
    const name = `Console Partner ${Date.now()}`;
    const id = await newPartner(name);
    const operator = await consolePerson(browser, origin, control, access, "operator");
    const page = await operator.context.newPage();
    await page.goto("/console");
    await page.getByLabel("Name or partner ID").fill(name);
    await page.getByRole("button", { name: "Search" }).click();
    expect(await page.locator("tr[data-partner]").count()).toBe(1);
    await shot(page, "console-partners");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("link", { name }).click();
    await page.locator("#suspend-reason").fill("fraud review");
    await page.getByRole("button", { name: "Suspend" }).click();
    expect(await page.locator(".flash-ok").textContent()).toBe("Suspended.");
    expect(await page.locator("#partner-status").textContent()).toBe("suspended");
    expect(await statusOf(id)).toBe("suspended");
    await shot(page, "console-partner");
    expect(await seriousViolations(page)).toEqual([]);
    // An operator may not propose a reactivation: the admin API's role check, shown with its code.
    await page.locator("#reactivate-reason").fill("cleared");
    await page.getByRole("button", { name: "Propose reactivation" }).click();
    expect(await page.getByRole("alert").textContent()).toMatch(/\(code 10\d\)/);
    expect(await statusOf(id)).toBe("suspended");

    const maker = await consolePerson(browser, origin, control, access, "approver");
    const makerPage = await maker.context.newPage();
    await makerPage.goto(`/console/partners/${id}`);
    await makerPage.locator("#reactivate-reason").fill("review cleared");
    await makerPage.getByRole("button", { name: "Propose reactivation" }).click();
    expect(await makerPage.locator(".flash-ok").textContent()).toContain("Reactivation proposed");
    expect(await statusOf(id)).toBe("suspended");
    // The maker sees their own proposal without an Approve button.
    await makerPage.goto("/console/approvals");
    const card = makerPage.locator("[data-change-request]").filter({ hasText: id });
    expect(await card.getByRole("button", { name: "Approve" }).count()).toBe(0);

    const checker = await consolePerson(browser, origin, control, access, "approver");
    const checkerPage = await checker.context.newPage();
    await checkerPage.goto("/console/approvals");
    await shot(checkerPage, "console-approvals");
    expect(await seriousViolations(checkerPage)).toEqual([]);
    await checkerPage
      .locator("[data-change-request]")
      .filter({ hasText: id })
      .getByRole("button", { name: "Approve" })
      .click();
    expect(await checkerPage.locator(".flash-ok").textContent()).toContain("Approved: the change is applied");
    expect(await statusOf(id)).toBe("active");

    // The admin audit log has each step with its person.
    await checkerPage.goto("/console/audit");
    const rows = await checkerPage.locator("tr[data-audit]").allTextContents();
    expect(rows.some((r) => r.includes(operator.email) && r.includes("partner.suspend"))).toBe(true);
    expect(rows.some((r) => r.includes(maker.email) && r.includes("partner.reactivate"))).toBe(true);
    await shot(checkerPage, "console-audit");
    expect(await seriousViolations(checkerPage)).toEqual([]);
    for (const person of [operator, maker, checker]) await person.context.close();
  });

  it("without an Access assertion the console refuses; a form without its CSRF token changes nothing", async () => {
    const context = await browser.newContext({ baseURL: origin });
    const page = await context.newPage();
    const answer = await page.goto("/console");
    expect(answer?.status()).toBe(401);
    expect(await page.getByRole("alert").textContent()).toContain("(code 100)");
    await shot(page, "console-no-access");
    await context.close();

    const id = await newPartner(`Console CSRF ${Date.now()}`);
    const operator = await consolePerson(browser, origin, control, access, "operator");
    const signed = await operator.context.newPage();
    await signed.goto(`/console/partners/${id}`);
    const forged = await signed.evaluate(async (partner) => {
      const res = await fetch(`/console/partners/${partner}/suspend`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf: "forged", reason: "csrf test" }),
      });
      return { status: res.status, text: await res.text() };
    }, id);
    expect(forged.status).toBe(403);
    expect(forged.text).toContain("(code 164)");
    expect(await statusOf(id)).toBe("active");
    await operator.context.close();
  });
});

describe("the console's operations pages in Chromium", () => {
  it("switches a product off (confirmed) and the API refuses it (22); switched on, it answers again", {
    timeout: 60_000,
  }, async () => {
    expect((await fxRates()).status).toBe(200);
    const operator = await consolePerson(browser, origin, control, access, "operator");
    const page = await operator.context.newPage();
    try {
      await page.goto("/console");
      await page.getByRole("navigation").getByRole("link", { name: "Kill switches" }).click();
      await page.waitForURL("**/console/kill-switches");
      expect(await page.locator("tr[data-kill-switch]").count()).toBe(7);
      await shot(page, "console-kill-switches");
      expect(await seriousViolations(page)).toEqual([]);
      const fx = page.locator('tr[data-kill-switch="fx"]');
      await fx.getByLabel("Reason (recorded in the audit log)").fill("rate feed incident");
      // Without the confirmation the browser does not send the form.
      await fx.getByRole("button", { name: "Switch fx off" }).click();
      expect(await page.locator(".flash").count()).toBe(0);
      await fx.getByLabel("Refuse every partner's fx calls (503, code 22)").check();
      await fx.getByRole("button", { name: "Switch fx off" }).click();
      expect(await page.locator(".flash-ok").textContent()).toBe(
        "fx switched off: its routes answer 503, code 22.",
      );
      expect(await fx.locator(".badge").textContent()).toBe("off");
      expect(await fx.textContent()).toContain(operator.email);
      await shot(page, "console-kill-switch-off");
      expect(await fxRates()).toEqual({ status: 503, code: 22 });

      await fx.getByLabel("Reason (recorded in the audit log)").fill("feed restored");
      await fx.getByRole("button", { name: "Switch fx on" }).click();
      expect(await page.locator(".flash-ok").textContent()).toBe("fx switched on.");
      expect(await fx.locator(".badge").textContent()).toBe("on");
      expect((await fxRates()).status).toBe(200);
    } finally {
      await sql(control, "DELETE FROM kill_switches");
      await operator.context.close();
    }
  });

  it("shows an endpoint that answers 500 in webhook health, by its host only", {
    timeout: 60_000,
  }, async () => {
    const hook = randomUUID();
    await fetch(`${receiver.url}/control/${hook}`, {
      method: "PUT",
      body: JSON.stringify({ fail: 1000, status: 500 }),
    });
    const created = await client.POST("/v1/webhook_endpoints", {
      params: { header: once() },
      body: { params: { url: `${receiver.url}/hook/${hook}`, description: "console health test" } },
    });
    const id = created.data?.result?.id ?? "";
    expect(id).not.toBe("");
    try {
      await client.POST("/v1/webhook_endpoints/{id}/test", { params: { path: { id }, header: once() } });
      await until(
        async () =>
          (
            await sql<{ failing_since: string | null }>(
              control,
              "SELECT failing_since FROM webhook_endpoints WHERE id = ?",
              id,
            )
          )[0]?.failing_since ?? null,
        (since) => since !== null,
        "the endpoint to fail",
      );
      const viewer = await consolePerson(browser, origin, control, access, "viewer");
      const page = await viewer.context.newPage();
      await page.goto("/console");
      await page.getByRole("navigation").getByRole("link", { name: "Webhook health" }).click();
      await page.getByLabel("Endpoints", { exact: true }).selectOption("failing");
      await page.getByRole("button", { name: "Show" }).click();
      const row = page.locator(`tr[data-endpoint="${id}"]`);
      expect(await row.count()).toBe(1);
      const text = (await row.textContent()) ?? "";
      expect(text).toContain(new URL(receiver.url).host);
      expect(text).toContain("failing");
      expect(text).toContain("500 (retry)");
      expect(text).not.toContain(hook);
      expect(Number(await page.locator('[data-total="failing"]').textContent())).toBeGreaterThanOrEqual(1);
      await shot(page, "console-webhooks");
      expect(await seriousViolations(page)).toEqual([]);
      await row.getByRole("link").click();
      expect(page.url()).toContain(`/console/partners/${DEMO_PARTNER_ID}`);
      await viewer.context.close();
    } finally {
      await client.DELETE("/v1/webhook_endpoints/{id}", { params: { path: { id } } });
    }
  });

  it("lists the API versions and who calls them; the pages fit a 390 px wide screen", async () => {
    const version = VERSIONS[0]?.date as string;
    const at = new Date().toISOString();
    await sql(
      control,
      "INSERT INTO api_version_usage (partner_id, version, calls, first_seen_at, last_seen_at) VALUES (?, ?, 12, ?, ?) ON CONFLICT DO UPDATE SET calls = 12",
      DEMO_PARTNER_ID,
      version,
      at,
      at,
    );
    const viewer = await consolePerson(browser, origin, control, access, "viewer");
    const page = await viewer.context.newPage();
    await page.goto("/console/versions");
    expect(await page.locator("tr[data-version]").count()).toBe(VERSIONS.length);
    const line = page.locator(`tr[data-version-partner="${version} ${DEMO_PARTNER_ID}"]`);
    expect(await line.locator("td").nth(2).textContent()).toBe("12");
    await shot(page, "console-versions");
    expect(await seriousViolations(page)).toEqual([]);
    await viewer.context.close();

    const narrow = await consolePerson(browser, origin, control, access, "viewer", {
      viewport: { width: 390, height: 844 },
    });
    const small = await narrow.context.newPage();
    for (const path of [
      "/console/webhooks",
      "/console/kill-switches",
      `/console/partners/${DEMO_PARTNER_ID}`,
    ]) {
      await small.goto(path);
      expect(await pageWidth(small), path).toBeLessThanOrEqual(390);
    }
    await shot(small, "console-partner-390px");
    expect(await seriousViolations(small)).toEqual([]);
    await small.goto("/console/kill-switches");
    await shot(small, "console-kill-switches-390px");
    await narrow.context.close();
  });
});
