import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { partnerSql } from "../../scripts/lib/sql";
import { hourOf } from "../../src/modules/billing/metering/storage";
import { buildPartner } from "../../src/modules/partners/provisioning";
import { launchChromium, watchedPage } from "./support/browser";
import { sql } from "./support/control";
import { newUser, seriousViolations, shot, signIn } from "./support/portal";

const origin = inject("gatewayUrl");
const control = inject("gatewayControl");
let browser: Browser;

/** The first day (UTC) of the month `k` months from this one. */
const monthStart = (k: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1)).toISOString().slice(0, 10);
};

const lastOfLastMonth = () =>
  new Date(Date.parse(`${monthStart(0)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

const PLAN = (version: number, recurring: number) => ({
  version,
  currency: "USD",
  period: "month",
  setup_fee_minor: 5_000,
  recurring_fee_minor: recurring,
  products: {
    payments: {
      included_calls: 1_000,
      pricing: "graduated",
      tiers: [{ up_to: null, price: { minor: 5, per: 1 } }],
    },
  },
  overage: "bill",
});

/**
 * A partner of its own (the demo partner stays without a plan, as the other files expect it):
 * billed from the first of last month at 12 % tax, $50 to set up and $310 a month (version 1),
 * $350 from next month (version 2), 1000 payments calls included. Its test clock moved a day
 * closes last month: one invoice, $360 + 12 % = $403.20. Then 250 payments calls this month.
 */
async function billedPartner() {
  const built = await buildPartner({
    name: "Billing Browser Partner",
    environment: "sandbox",
    tier: "sandbox",
    products: ["payments"],
    username: `billing-${randomUUID().slice(0, 8)}`,
    password: `pw-${randomUUID()}`,
  });
  for (const statement of partnerSql(built, false).split("\n")) await sql(control, statement);
  const id = built.secrets.partnerId;
  const startsOn = monthStart(-1);
  await sql(
    control,
    "INSERT INTO billing_accounts (partner_id, starts_on, tax_bps, settlement) VALUES (?, ?, 1200, 'invoice')",
    id,
    startsOn,
  );
  for (const [version, from, fee] of [
    [1, startsOn, 31_000],
    [2, monthStart(1), 35_000],
  ] as const)
    await sql(
      control,
      "INSERT INTO rate_plans (partner_id, version, plan, effective_from) VALUES (?, ?, ?, ?)",
      id,
      version,
      JSON.stringify(PLAN(version, fee)),
      from,
    );

  const basic = Buffer.from(`${built.secrets.consumerKey}:${built.secrets.consumerSecret}`).toString(
    "base64",
  );
  const token = await fetch(`${origin}/oauth2/token`, {
    method: "POST",
    headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const moved = await fetch(`${origin}/v1/sandbox/clock/advance`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token.access_token}`,
      "Content-Type": "application/json",
      "Idempotency-Key": randomUUID(),
    },
    body: JSON.stringify({ params: { days: 1 } }),
  }).then(
    (r) =>
      r.json() as Promise<{
        result: { invoices: { id: string; number: string; period: { start: string } }[] };
      }>,
  );
  const invoice = moved.result.invoices.find((i) => i.period.start === startsOn);
  if (!invoice) throw new Error(`the clock closed no invoice: ${JSON.stringify(moved)}`);
  await sql(
    control,
    "INSERT INTO metered_usage (partner_id, hour, product, operation, outcome, calls) VALUES (?, ?, 'payments', 'createPayment', 'success', 250)",
    id,
    hourOf(Date.now()),
  );
  return {
    id,
    user: { username: built.secrets.username ?? "", password: built.secrets.password ?? "" },
    invoice,
    startsOn,
  };
}

let billed: Awaited<ReturnType<typeof billedPartner>>;

beforeAll(async () => {
  [browser, billed] = await Promise.all([launchChromium(), billedPartner()]);
});
afterAll(async () => {
  await browser?.close();
});

describe("plan, usage alerts and invoices in the portal", () => {
  it("shows the plan's fees, this period's calls and the next version; adds an alert and deletes it", async () => {
    const { page, problems, foreign } = await watchedPage(browser, origin);
    await signIn(page, billed.user, billed.id);
    await page.getByRole("navigation").getByRole("link", { name: "Plan & usage" }).click();
    await page.waitForURL(/\/portal\/plan$/);
    expect(await page.locator("h1").textContent()).toBe("Plan & usage");
    expect(await page.locator("#plan-version").textContent()).toBe(
      `Plan version 1, in force since ${billed.startsOn}`,
    );
    const facts = page.locator('[aria-labelledby="plan-version"]');
    expect(await facts.locator('[data-fact="recurring-fee"]').textContent()).toBe("310.00 USD a month");
    expect(await facts.textContent()).toContain("50.00 USD");
    expect(await facts.locator('[data-fact="overage"]').textContent()).toMatch(/^billed: /);
    const cells = await page.locator('tr[data-product="payments"] td').allTextContents();
    expect(cells).toEqual([
      "payments",
      "1000",
      "250",
      "750",
      "graduated: calls 1 and over at 0.05 USD a call",
    ]);
    expect(await page.locator("#plan-usage caption").textContent()).toContain(
      `This period, ${monthStart(0)} to `,
    );
    const next = page.locator("#plan-next-version");
    expect(await next.locator("p").textContent()).toBe(`Version 2 starts ${monthStart(1)}.`);
    expect(await next.locator('[data-fact="recurring-fee"]').textContent()).toBe("350.00 USD a month");
    await shot(page, "portal-plan");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel("Product").selectOption("payments");
    await page.getByLabel(/^Threshold/).fill("80");
    await page.getByRole("button", { name: "Add alert" }).click();
    expect(await page.locator(".flash-ok").textContent()).toBe(
      "Alert at 80 % of the included payments calls added.",
    );
    const alert = page.locator('tr[data-alert="payments 80"]');
    expect(await alert.locator("td").nth(1).textContent()).toBe("80 % of the included calls");
    const [stored] = await sql<{ threshold_percent: number }>(
      control,
      "SELECT threshold_percent FROM usage_alerts WHERE partner_id = ?",
      billed.id,
    );
    expect(stored?.threshold_percent).toBe(80);
    await shot(page, "portal-plan-alert");
    expect(await seriousViolations(page)).toEqual([]);
    await alert.getByRole("button", { name: "Delete" }).click();
    // The page before the click has a flash of its own: wait for the new one.
    await page.locator(".flash-ok", { hasText: "Alert deleted." }).waitFor();
    expect(await page.locator('tr[data-alert="payments 80"]').count()).toBe(0);
    expect(await page.locator("#alerts").textContent()).toContain("No usage alerts.");
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("says so when the partner has no rate plan", async () => {
    const user = await newUser(control, "viewer");
    const { page, problems } = await watchedPage(browser, origin);
    await signIn(page, user);
    const res = await page.goto("/portal/plan");
    expect(res?.status()).toBe(200);
    expect(await page.locator("#no-plan").textContent()).toBe("No rate plan yet");
    expect(await page.locator(".flash").count()).toBe(0);
    // A viewer sees the alerts, without the buttons.
    expect(await page.getByRole("button", { name: "Add alert" }).count()).toBe(0);
    await shot(page, "portal-plan-none");
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("lists the invoice with its total, shows its lines and downloads its PDF", async () => {
    const { page, problems, foreign } = await watchedPage(browser, origin);
    await signIn(page, billed.user, billed.id);
    await page.getByRole("navigation").getByRole("link", { name: "Invoices" }).click();
    await page.waitForURL(/\/portal\/invoices$/);
    const row = page.locator(`tr[data-invoice="${billed.invoice.number}"]`);
    await row.waitFor();
    const cells = await row.locator("td").allTextContents();
    expect(cells[0]).toBe(billed.invoice.number);
    expect(cells[1]).toBe("Invoice");
    expect(cells[2]).toBe(`${billed.startsOn} to ${lastOfLastMonth()}`);
    expect(cells[3]).toBe("issued");
    expect(cells[5]).toBe("403.20 USD");
    await shot(page, "portal-invoices");
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole("link", { name: billed.invoice.number, exact: true }).click();
    await page.waitForURL(/\/portal\/invoices\/[^/]+$/);
    expect(await page.locator("h1").textContent()).toBe(`Invoice ${billed.invoice.number}`);
    expect(await page.locator("#invoice-total").textContent()).toBe("403.20 USD");
    const line = async (kind: string) =>
      page.locator(`#invoice-lines tr[data-line="${kind}"] td`).allTextContents();
    expect(await line("setup_fee")).toEqual(["1", "Setup fee", "1", "50.00 USD", "50.00 USD"]);
    expect((await line("recurring_fee")).slice(1)).toEqual([
      `Recurring fee, ${billed.startsOn} to ${lastOfLastMonth()}`,
      "1",
      "310.00 USD",
      "310.00 USD",
    ]);
    expect(await page.locator("main").textContent()).toContain("Tax (12.00 %)");
    await shot(page, "portal-invoice");
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download the PDF" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${billed.invoice.number}.pdf`);
    const pdf = await page.evaluate(async (id) => {
      const res = await fetch(`/portal/invoices/${id}/pdf`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      return {
        type: res.headers.get("Content-Type"),
        disposition: res.headers.get("Content-Disposition"),
        start: String.fromCharCode(...bytes.slice(0, 5)),
      };
    }, billed.invoice.id);
    expect(pdf).toEqual({
      type: "application/pdf",
      disposition: `attachment; filename="${billed.invoice.number}.pdf"`,
      start: "%PDF-",
    });
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it("answers another partner's invoice, and its PDF, with the not-found page", async () => {
    const user = await newUser(control, "owner");
    const { page, problems } = await watchedPage(browser, origin);
    await signIn(page, user);
    const res = await page.goto(`/portal/invoices/${billed.invoice.id}`);
    expect(res?.status()).toBe(404);
    expect(await page.getByRole("alert").textContent()).toBe("No such resource: invoice (code 30)");
    expect(await page.locator("main").textContent()).not.toContain(billed.invoice.number);
    await shot(page, "portal-invoice-not-found");
    expect(await seriousViolations(page)).toEqual([]);
    const pdf = await page.evaluate(async (id) => {
      const r = await fetch(`/portal/invoices/${id}/pdf`);
      return { status: r.status, type: r.headers.get("Content-Type"), text: await r.text() };
    }, billed.invoice.id);
    expect(pdf.status).toBe(404);
    expect(pdf.type).toContain("text/html");
    expect(pdf.text).toContain("(code 30)");
    // The 404s are what was asked for; Chromium logs them, nothing else went wrong.
    expect(problems.filter((p) => !p.includes("status of 404"))).toEqual([]);
  });
});
