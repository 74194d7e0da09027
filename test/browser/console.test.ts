import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { unstable_splitSqlQuery } from "wrangler";
import { partnerSql } from "../../scripts/lib/sql";
import { buildPartner } from "../../src/modules/partners/provisioning";
import { consolePerson } from "./support/access";
import { launchChromium } from "./support/browser";
import { sql } from "./support/control";
import { seriousViolations, shot } from "./support/portal";

const origin = inject("gatewayUrl");
const control = inject("gatewayControl");
const access = inject("gatewayAccess");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

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
