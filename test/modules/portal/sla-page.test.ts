import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE } from "../../support/http";
import { provisionPartner } from "../../support/partners";
import { seedTwoMonths } from "../billing/sla-pages-support";

const SAME = {
  "Sec-Fetch-Site": "same-origin",
  Origin: BASE,
  "Content-Type": "application/x-www-form-urlencoded",
};

async function page(path: string, cookie?: string) {
  const res = await SELF.fetch(`${BASE}${path}`, {
    redirect: "manual",
    headers: cookie ? { Cookie: cookie } : {},
  });
  return { res, text: await res.text() };
}

async function signedIn(tier: "standard" | "sandbox" = "standard") {
  const p = await provisionPartner({ tier });
  const res = await SELF.fetch(`${BASE}/portal/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: SAME,
    body: new URLSearchParams({ partner_id: p.id, username: p.username, password: p.password }).toString(),
  });
  return { p, cookie: (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "" };
}

/** A month's row of the table, its tags stripped. */
const rowOf = (html: string, month: string) =>
  (new RegExp(`<tr data-sla="${month}">(.*?)</tr>`).exec(html)?.[1] ?? "").replace(/<[^>]+>/g, "|");

describe("the portal's Service level page (workerd)", () => {
  it("shows this month so far and last month against the tier's targets, met and missed", async () => {
    const { p, cookie } = await signedIn();
    const m = await seedTwoMonths(p.id);
    const r = await page("/portal/sla", cookie);
    expect(r.res.status).toBe(200);
    expect(r.text).toContain('aria-current="page">Service level');
    expect(r.text).toContain("Your plan (standard)");
    const previous = rowOf(r.text, m.previous.month);
    expect(previous).toContain("|1000|");
    expect(previous).toContain("|6|");
    expect(previous).toContain("99.40 %, target 99.50 %: missed");
    expect(previous).toContain("801 ms, target 800 ms: missed");
    expect(previous).toContain("15.00 % of the recurring fee");
    const current = rowOf(r.text, m.current.month);
    expect(current).toContain(`${m.current.month} (so far)`);
    expect(current).toContain("100.00 %, target 99.50 %: met");
    expect(current).toContain("120 ms, target 800 ms: met");
    expect(r.text).toMatch(new RegExp(`data-sla="${m.current.month}".*data-sla="${m.previous.month}"`, "s"));
  });

  it("shows a month without calls as not measured, and the sandbox tier without targets", async () => {
    const { cookie } = await signedIn("sandbox");
    const r = await page("/portal/sla", cookie);
    expect(r.res.status).toBe(200);
    expect(r.text).toContain("has no service-level targets");
    expect(r.text).toContain("— (no target)");
    expect(r.text).not.toContain(": missed");
  });

  it("sends a visitor without a session to sign in", async () => {
    const r = await page("/portal/sla");
    expect(r.res.status).toBe(303);
    expect(r.res.headers.get("Location")).toBe("/portal/sign-in");
  });
});
