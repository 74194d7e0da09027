import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, pageWidth, watchedPage } from "./support/browser";
import { sql } from "./support/control";
import { newUser, seriousViolations, shot, signIn, totpCode } from "./support/portal";

const origin = inject("gatewayUrl");
const control = inject("gatewayControl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`;
const tokenStatus = async (key: string, secret: string) =>
  (
    await fetch(`${origin}/oauth2/token`, {
      method: "POST",
      headers: { Authorization: basic(key, secret), "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    })
  ).status;

describe("the developer portal in Chromium", () => {
  it("signs in with the session cookie, refuses a wrong password, and passes axe on its pages", async () => {
    const user = await newUser(control);
    const { page, problems, foreign } = await watchedPage(browser, origin);
    await signIn(page, { ...user, password: "not-the-password" });
    expect(await page.getByRole("alert").textContent()).toContain("(code 160)");
    await shot(page, "portal-sign-in-refused");
    expect(await seriousViolations(page)).toEqual([]);

    await signIn(page, user);
    expect(new URL(page.url()).pathname).toBe("/portal");
    expect(await page.locator("h1").textContent()).toBe("Overview");
    expect(await page.locator("main").textContent()).toContain("Demo Partner");
    const [cookie] = (await page.context().cookies()).filter((c) => c.name === "__Host-portico_portal");
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
    // Stored as a hash only: the cookie's value is nowhere in D1.
    const rows = await sql<{ id_hash: string }>(
      control,
      "SELECT id_hash FROM portal_sessions WHERE id_hash = ?",
      cookie?.value,
    );
    expect(rows).toEqual([]);
    await shot(page, "portal-overview");
    expect(await seriousViolations(page)).toEqual([]);
    // The refused sign-in answered 401, which Chromium logs; nothing else went wrong.
    expect(problems.filter((p) => !p.includes("status of 401"))).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("creates a key (secret shown once, with a copy button), rotates one with overlap and revokes one", async () => {
    const user = await newUser(control, "developer");
    const { page, problems } = await watchedPage(browser, origin);
    await signIn(page, user);
    await page.getByRole("navigation").getByRole("link", { name: "API keys" }).click();
    const description = `browser ${Date.now()}`;
    await page.getByLabel("Description (optional)").fill(description);
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = (await page.locator("#new-secret").textContent()) ?? "";
    expect(secret).toMatch(/^cs_test_/);
    await shot(page, "portal-keys-created");
    expect(await seriousViolations(page)).toEqual([]);
    const [row] = await sql<{ id: string; consumer_key: string; secret_hash: string }>(
      control,
      "SELECT id, consumer_key, secret_hash FROM partner_credentials WHERE description = ?",
      description,
    );
    expect(row?.secret_hash).not.toContain(secret);
    const key = row?.consumer_key ?? "";
    expect(await tokenStatus(key, secret)).toBe(200);

    // A reload of the keys page never shows the secret again.
    await page.goto("/portal/keys");
    expect(await page.locator("main").textContent()).not.toContain(secret);
    expect(await page.locator(`tr[data-key="${key}"] td`).nth(4).textContent()).toMatch(/UTC$/);

    // Rotate with an hour's overlap: a successor with its own secret, the old key still works.
    await page.locator(`tr[data-key="${key}"]`).getByLabel("Old key keeps working for").selectOption("3600");
    await page.locator(`tr[data-key="${key}"]`).getByRole("button", { name: "Rotate" }).click();
    expect(await page.locator(".flash-ok").textContent()).toContain(
      `Key ${key} rotated: it keeps working until`,
    );
    const successorSecret = (await page.locator("#new-secret").textContent()) ?? "";
    const [old] = await sql<{ expires_at: string }>(
      control,
      "SELECT expires_at FROM partner_credentials WHERE id = ?",
      row?.id,
    );
    const overlap = Date.parse(old?.expires_at ?? "") - Date.now();
    expect(overlap).toBeGreaterThan(3500_000);
    expect(overlap).toBeLessThanOrEqual(3600_000);
    expect(await tokenStatus(key, secret)).toBe(200);
    const [successor] = await sql<{ consumer_key: string }>(
      control,
      "SELECT consumer_key FROM partner_credentials WHERE description = ? AND id != ?",
      description,
      row?.id,
    );
    expect(await tokenStatus(successor?.consumer_key ?? "", successorSecret)).toBe(200);

    // Revoke the old one: its row says so and the token endpoint refuses it.
    await page.locator(`tr[data-key="${key}"]`).getByRole("button", { name: "Revoke" }).click();
    expect(await page.locator(".flash-ok").textContent()).toBe(`Key ${key} revoked.`);
    expect(await page.locator(`tr[data-key="${key}"] .badge`).textContent()).toBe("revoked");
    expect(await tokenStatus(key, secret)).toBe(401);
    expect(problems).toEqual([]);
  });

  it("a viewer sees the keys but has no buttons, and the API refuses the write if forced", async () => {
    const user = await newUser(control, "viewer");
    const { page } = await watchedPage(browser, origin);
    await signIn(page, user);
    await page.goto("/portal/keys");
    expect(await page.getByRole("button", { name: "Create key" }).count()).toBe(0);
    // Forge the create form in the page: the session's CSRF token is right, the role is not.
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const status = await page.evaluate(async (token) => {
      const res = await fetch("/portal/keys", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf: token, description: "viewer" }),
      });
      return { status: res.status, text: await res.text() };
    }, csrf);
    expect(status.status).toBe(403);
    expect(status.text).toContain("(code 20)");
  });

  it("TOTP: enrolment with a QR code, then a sign-in that needs the code, once", async () => {
    const user = await newUser(control);
    const { page, problems } = await watchedPage(browser, origin);
    await signIn(page, user);
    await page.getByRole("navigation").getByRole("link", { name: "Account" }).click();
    await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
    expect(await page.getByRole("img", { name: /QR code/ }).isVisible()).toBe(true);
    await shot(page, "portal-account-enrol");
    expect(await seriousViolations(page)).toEqual([]);
    const secret = (await page.locator("#totp-secret").textContent()) ?? "";
    await page.getByLabel("Six-digit code").fill(totpCode(secret));
    await page.getByRole("button", { name: "Turn on" }).click();
    expect(await page.locator(".flash-ok").textContent()).toContain("Two-step sign-in is on");
    const [stored] = await sql<{ totp_secret: string; totp_enabled_at: string }>(
      control,
      "SELECT totp_secret, totp_enabled_at FROM partner_users WHERE username = ?",
      user.username,
    );
    expect(stored?.totp_enabled_at).toBeTruthy();
    expect(stored?.totp_secret).toMatch(/^v1\./);
    expect(stored?.totp_secret).not.toContain(secret);

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await signIn(page, user);
    expect(new URL(page.url()).pathname).toBe("/portal/sign-in/second-factor");
    await shot(page, "portal-second-factor");
    // The code just used for the enrolment is spent: the same time step never signs in twice.
    await page.getByLabel("Six-digit code from your authenticator app").fill(totpCode(secret));
    await page.getByRole("button", { name: "Verify" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("(code 162)");
    await page.getByLabel("Six-digit code from your authenticator app").fill(totpCode(secret, 1));
    await page.getByRole("button", { name: "Verify" }).click();
    expect(new URL(page.url()).pathname).toBe("/portal");
    expect(problems.filter((p) => !p.includes("status of 401"))).toEqual([]);
  });

  it("refuses a form without the session's CSRF token, and a POST from another origin", async () => {
    const user = await newUser(control);
    const { page } = await watchedPage(browser, origin);
    await signIn(page, user);
    await page.goto("/portal/keys");
    const before = await sql(control, "SELECT id FROM partner_credentials");
    const answer = await page.evaluate(async () => {
      const res = await fetch("/portal/keys", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf: "forged", description: "csrf" }),
      });
      return { status: res.status, text: await res.text() };
    });
    expect(answer.status).toBe(403);
    expect(answer.text).toContain("(code 164)");
    const cookies = await page.context().cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const cross = await fetch(`${origin}/portal/keys`, {
      method: "POST",
      headers: {
        Cookie: cookie,
        Origin: "https://attacker.example",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ csrf, description: "csrf" }),
    });
    expect(cross.status).toBe(403);
    expect(await sql(control, "SELECT id FROM partner_credentials")).toEqual(before);
  });

  it("a session idle past its timeout ends: the next page asks to sign in again", async () => {
    const user = await newUser(control);
    const { page } = await watchedPage(browser, origin);
    await signIn(page, user);
    await sql(
      control,
      "UPDATE portal_sessions SET last_seen_at = ? WHERE user_id = (SELECT id FROM partner_users WHERE username = ?)",
      new Date(Date.now() - 31 * 60_000).toISOString(),
      user.username,
    );
    await page.goto("/portal/keys");
    expect(new URL(page.url()).pathname).toBe("/portal/sign-in");
    expect(await page.getByRole("alert").textContent()).toContain("Your session ended");
    await shot(page, "portal-session-ended");
  });

  it("an owner invites a developer: the one-time link sets a password, then it is spent", async () => {
    const owner = await newUser(control, "owner");
    const { page, problems } = await watchedPage(browser, origin);
    await signIn(page, owner);
    await page.getByRole("navigation").getByRole("link", { name: "Team" }).click();
    const username = `invitee-${Date.now()}`;
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Role").selectOption("developer");
    await page.getByRole("button", { name: "Invite" }).click();
    const link = (await page.locator("#invitation-link").textContent()) ?? "";
    expect(link.startsWith(`${origin}/portal/invitations?token=`)).toBe(true);
    await shot(page, "portal-team");
    expect(await seriousViolations(page)).toEqual([]);
    const [stored] = await sql<{ token_hash: string }>(
      control,
      "SELECT token_hash FROM portal_invitations WHERE username = ?",
      username,
    );
    expect(link).not.toContain(stored?.token_hash ?? "none");

    const invitee = await watchedPage(browser, origin);
    await invitee.page.goto(link);
    await invitee.page.getByLabel("Password").fill("short");
    // The browser's own minlength check would stop the form; the server's is what is tested.
    await invitee.page.locator("#password").evaluate((el) => el.removeAttribute("minlength"));
    await invitee.page.getByRole("button", { name: "Join" }).click();
    expect(await invitee.page.getByRole("alert").textContent()).toContain("(code 167)");
    await invitee.page.getByLabel("Password").fill("a-long-enough-password");
    await invitee.page.getByRole("button", { name: "Join" }).click();
    expect(await invitee.page.getByRole("status").textContent()).toContain("You joined your team");
    await signIn(invitee.page, { username, password: "a-long-enough-password" });
    expect(await invitee.page.locator(".who").textContent()).toContain("(developer)");
    await invitee.page.goto(link);
    expect(await invitee.page.getByRole("alert").textContent()).toContain("(code 166)");
    expect(problems).toEqual([]);
  });

  it("fits a 390 px wide screen", async () => {
    const user = await newUser(control);
    const context = await browser.newContext({ baseURL: origin, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, user);
    await page.goto("/portal/keys");
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, "portal-keys-390px");
    await context.close();
  });
});
