// The whole onboarding in Chromium against the production gateway (the control plane): register
// with Turnstile's widget, verify the emailed link, sign in as the registrant, accept the terms,
// apply with a document, answer the reviewers' change request, approval by two different
// approvers, then live keys made in the portal that work against production.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessAssertion } from "./support/access";
import { launchChromium, pageWidth } from "./support/browser";
import { sql } from "./support/control";
import { seriousViolations, shot, totpCode } from "./support/portal";

const production = inject("production");
const access = inject("gatewayAccess");
const origin = production.url;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Cloudflare's Turnstile is an outside system these machines cannot reach: its widget script is
 * answered here by a stand-in that does what the widget does for a passing visitor, a hidden
 * `cf-turnstile-response` field holding the token (the local siteverify passes only that one).
 */
async function withTurnstile(page: Page) {
  await page.route("https://challenges.cloudflare.com/turnstile/v0/api.js", (route) =>
    route.fulfill({
      contentType: "text/javascript",
      body: `for (const el of document.querySelectorAll(".cf-turnstile")) {
        const input = document.createElement("input");
        input.type = "hidden"; input.name = "cf-turnstile-response"; input.value = ${JSON.stringify(production.turnstileToken)};
        el.appendChild(input);
      }`,
    }),
  );
}

async function mailTo(email: string): Promise<string[]> {
  const res = await fetch(production.mailbox.url, {
    headers: { Authorization: `Bearer ${production.mailbox.token}` },
  });
  const { data } = (await res.json()) as { data: { to: string; text: string }[] };
  return data.filter((m) => m.to === email).map((m) => m.text);
}

/** A platform-team member of production with `role`, and the assertion Cloudflare Access adds to their requests. */
async function person(role: "admin" | "operator" | "approver") {
  const email = `${role}-${randomUUID().slice(0, 8)}@bank.example`;
  await sql(
    production.control,
    "INSERT INTO admin_identities (identity, role, created_by) VALUES (?, ?, 'browser test')",
    email,
    role,
  );
  return accessAssertion(access, email);
}

/** Their admin API calls (the console has no terms page: terms are published through the API). */
async function adminApi(role: "admin") {
  const assertion = await person(role);
  return async (method: string, path: string, params?: unknown) => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { "Cf-Access-Jwt-Assertion": assertion, "Content-Type": "application/json" },
      ...(params ? { body: JSON.stringify({ params }) } : {}),
    });
    return { status: res.status, body: (await res.json()) as { result: Record<string, unknown> | null } };
  };
}

/** Their console, in a browser context of their own. */
async function consolePage(role: "operator" | "approver") {
  const context = await browser.newContext({
    baseURL: origin,
    extraHTTPHeaders: { "Cf-Access-Jwt-Assertion": await person(role) },
  });
  return context.newPage();
}

const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

// One registrant's way through, step by step: each step starts where the one before ended.
describe("onboarding in the portal, production", () => {
  let page: Page;
  const email = `ops-${randomUUID().slice(0, 8)}@acme.example`;
  const password = "a long passphrase 2";
  let applicationId = "";

  it("registers with the bot check and verifies the emailed link", async () => {
    const owner = await adminApi("admin");
    const published = await owner("POST", "/admin/v1/terms", {
      version: `browser-${randomUUID().slice(0, 8)}`,
      text: "1. Portico moves your money exactly once.\n2. You keep your keys secret.",
    });
    expect(published.status).toBe(201);

    const context = await browser.newContext({ baseURL: origin });
    page = await context.newPage();
    await withTurnstile(page);

    // Register: the sandbox partner exists at once, its secret shown once.
    await page.goto("/portal/register");
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "onboarding-register");
    // A phone's width: nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, "onboarding-register-390px");
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByLabel("Company name").fill("Acme Telecom LLC");
    await page.getByLabel(/Country/).fill("UZ");
    await page.getByLabel("Contact email").fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByLabel("cards").check();
    await page.getByLabel("What you will build").fill("Card issuing for our subscribers");
    await page.getByRole("button", { name: "Register" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator(".flash-error").allInnerTexts()).toEqual([]);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Registered");
    const sandboxSecret = (await page.locator("#sandbox-secret").textContent()) ?? "";
    expect(sandboxSecret).toMatch(/^cs_test_/);
    await shot(page, "onboarding-registered");

    // The emailed link, opened in the browser.
    await expect.poll(async () => (await mailTo(email)).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const link = /https?:\/\/\S+\/portal\/verify\?token=\S+/.exec((await mailTo(email))[0] ?? "")?.[0];
    expect(link).toBeTruthy();
    await page.goto(link ?? "");
    await expect.poll(() => page.locator(".flash-ok").first().textContent()).toBe("Your email is verified.");
    await shot(page, "onboarding-verified");
  });

  it("signs in as the registrant and accepts the terms", async () => {
    // Sign in as the registrant; accept the terms.
    await page.goto("/portal/apply/sign-in");
    await page.getByLabel("Contact email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Your way to production");
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "onboarding-status");
    await page.getByRole("link", { name: "Accept the terms" }).click();
    await page.getByLabel(/I have read these terms/).check();
    await page.getByRole("button", { name: "Accept these terms" }).click();
    await expect.poll(() => page.locator("main").textContent()).toContain("You accepted this version");
    await shot(page, "onboarding-terms");
  });

  it("applies: the checklist, the PCI DSS attestation uploaded, submitted", async () => {
    // The application: start, fill the checklist, upload the PCI DSS attestation, submit.
    await page.goto("/portal/apply/application");
    await page.getByRole("button", { name: "Start the application" }).click();
    await expect.poll(() => page.locator("#application-status").first().textContent()).toBe("draft");
    await expect
      .poll(() => page.locator("#missing").first().textContent())
      .toContain("documents.pci_dss_attestation");
    await page.getByLabel("Registered name").fill("Acme Telecom LLC");
    await page.getByLabel("Registration number").fill("UZ-123456");
    for (const [prefix, name] of [
      ["Technical contact", "Tess Tech"],
      ["Security contact", "Sam Secure"],
    ] as const) {
      const group = page.getByRole("group", { name: prefix });
      await group.getByLabel("Name").fill(name);
      await group.getByLabel("Email").fill(`${name.split(" ")[0]?.toLowerCase()}@acme.example`);
    }
    await page.getByLabel(/Production webhook URLs/).fill("https://hooks.acme.example/portico");
    await page.getByLabel(/Addresses you call production from/).fill("127.0.0.1/32");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator(".flash-ok").first().textContent()).toBe("Saved.");
    await page.getByLabel("Kind").selectOption("pci_dss_attestation");
    await page
      .getByLabel(/^File/)
      .setInputFiles({ name: "aoc.pdf", mimeType: "application/pdf", buffer: PDF });
    await page.getByRole("button", { name: "Upload" }).click();
    await expect.poll(() => page.locator(".flash-ok").first().textContent()).toBe("aoc.pdf uploaded.");
    await expect.poll(() => page.locator("#missing").count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "onboarding-application");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, "onboarding-application-390px");
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect.poll(() => page.locator("#application-status").first().textContent()).toBe("submitted");

    const [row] = await sql<{ id: string }>(
      production.control,
      "SELECT a.id FROM applications a JOIN registrations r ON r.id = a.registration_id WHERE r.contact_email = ?",
      email,
    );
    expect(row).toBeDefined();
    applicationId = row?.id ?? "";
  });

  it("reads the reviewers' change request, answers it and submits again", async () => {
    // The reviewers ask for a change in the console; the registrant reads the comment, answers and submits again.
    const operator = await consolePage("operator");
    await operator.goto("/console/applications");
    await operator.getByRole("link", { name: "Acme Telecom LLC" }).first().click();
    expect(await seriousViolations(operator)).toEqual([]);
    await shot(operator, "onboarding-console-application");
    await operator.getByLabel(/What to change/).fill("Please add your LEI.");
    await operator.getByRole("button", { name: "Request changes" }).click();
    await expect.poll(() => operator.locator("main").textContent()).toContain("changes_requested");
    await page.goto("/portal/apply/application");
    await expect
      .poll(() => page.locator("#application-status").first().textContent())
      .toBe("changes requested");
    await expect
      .poll(() => page.locator(".comments").first().textContent())
      .toContain("Please add your LEI.");
    await shot(page, "onboarding-changes-requested");
    await page.getByLabel(/LEI/).fill("5493001KJTIIGC8Y1R12");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator(".flash-ok").first().textContent()).toBe("Saved.");
    await page.getByRole("button", { name: "Submit for review" }).click();
    await expect.poll(() => page.locator("#application-status").first().textContent()).toBe("submitted");
  });

  it("is approved by two different approvers", async () => {
    // In the console: the maker proposes, a different approver approves; the maker cannot do both.
    const maker = await consolePage("approver");
    await maker.goto(`/console/applications/${applicationId}`);
    await maker.getByLabel(/Reason/).fill("Complete: licences and PCI DSS attestation checked.");
    await maker.getByRole("button", { name: "Propose approval" }).click();
    await expect
      .poll(() => maker.locator("#approval-proposed").textContent())
      .toContain("A different approver approves it.");
    expect(await maker.getByRole("button", { name: /Approve/ }).count()).toBe(0);
    await shot(maker, "onboarding-console-proposed");
    const checker = await consolePage("approver");
    await checker.goto(`/console/applications/${applicationId}`);
    await checker.getByLabel(/Reason/).fill("Agreed.");
    await checker.getByRole("button", { name: "Approve: make the live partner" }).click();
    await expect.poll(() => checker.locator("main").textContent()).toContain("approved");
    await shot(checker, "onboarding-console-approved");
    await page.goto("/portal/apply/application");
    await expect.poll(() => page.locator("#application-status").first().textContent()).toBe("approved");
  });

  it("makes live keys in the portal, shown once, that work against production", async () => {
    await page.goto("/portal/apply/credentials");
    await page.getByRole("button", { name: "Make a live key" }).click();
    const liveKey =
      (await page.locator("section[aria-label='New live key'] code").first().textContent()) ?? "";
    const liveSecret = (await page.locator("#live-secret").textContent()) ?? "";
    expect(liveKey).toMatch(/^ck_live_/);
    await shot(page, "onboarding-live-keys");
    const token = await fetch(`${origin}/oauth2/token`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${liveKey}:${liveSecret}`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const me = await fetch(`${origin}/v1/partner`, { headers: { Authorization: `Bearer ${access_token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { result: { environment: string } }).result.environment).toBe("production");
  });

  it("signs in to the production portal as its owner, enrolling the second factor production requires", async () => {
    const [row] = await sql<{ partner_id: string }>(
      production.control,
      "SELECT partner_id FROM applications WHERE id = ?",
      applicationId,
    );
    await page.goto("/portal/sign-in");
    await page.getByLabel("Partner ID").fill(row?.partner_id ?? "");
    await page.getByLabel("Username").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/portal\/sign-in\/second-factor$/);
    const secret = (await page.locator("#totp-secret").textContent()) ?? "";
    await shot(page, "onboarding-production-second-factor");
    await page.getByLabel(/Six-digit code/).fill(totpCode(secret));
    await page.getByRole("button", { name: "Turn on and continue" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Overview");
    await page.getByRole("navigation").getByRole("link", { name: "API keys" }).click();
    expect(await page.locator("main").textContent()).toContain("ck_live_");
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "onboarding-production-keys");
  });
});
