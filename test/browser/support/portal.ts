// The developer portal in Chromium: its users, signing in, screenshots and the accessibility check.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { Secret, TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { DEMO_PARTNER_ID } from "../../../scripts/lib/demo";
import { uuidv7 } from "../../../src/platform/lib/ids";
import { hashSecret } from "../../../src/platform/lib/secret-hash";
import { sql } from "./control";

export { DEMO_PARTNER_ID };

/** Screenshots of every page the tests visit, for the reader of the test output: dist/screenshots. */
export const SCREENSHOTS = join("dist", "screenshots");

export async function shot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** axe-core's serious and critical findings on the page (WCAG 2.x A and AA rules). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/** A new user of the demo partner, straight into D1 as provisioning writes one. */
export async function newUser(
  control: { url: string; token: string },
  role: "owner" | "developer" | "viewer" = "owner",
) {
  const username = `user-${uuidv7().slice(-12)}`;
  const password = `pw-${uuidv7()}`;
  await sql(
    control,
    "INSERT INTO partner_users (id, partner_id, username, password_hash, role) VALUES (?, ?, ?, ?, ?)",
    uuidv7(),
    DEMO_PARTNER_ID,
    username,
    await hashSecret(password, "password"),
    role,
  );
  return { username, password };
}

export async function signIn(
  page: Page,
  user: { username: string; password: string },
  partnerId = DEMO_PARTNER_ID,
) {
  await page.goto("/portal/sign-in");
  await page.getByLabel("Partner ID").fill(partnerId);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("load");
}

/** The current code of a base32 TOTP secret, `stepsAhead` time steps from now. */
export function totpCode(secret: string, stepsAhead = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}
