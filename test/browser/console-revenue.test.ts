import { randomInt, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { unstable_splitSqlQuery } from "wrangler";
import { partnerSql } from "../../scripts/lib/sql";
import { buildPartner } from "../../src/modules/partners/provisioning";
import { consolePerson } from "./support/access";
import { launchChromium, pageWidth } from "./support/browser";
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

/** `YYYY-MM` of the month `back` months before this one (UTC). */
const monthAgo = (back: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
};
const nextMonth = (month: string) =>
  new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().slice(0, 7);

interface Line {
  kind: string;
  product: string | null;
  quantity: number;
  unit: number;
  amount: number;
}

interface Document {
  id: string;
  number: string;
  kind: "invoice" | "credit_note";
  status: "issued" | "paid";
  month: string;
  subtotal: number;
  credited: number;
  tax: number;
  total: number;
  creditNoteFor?: string;
  lines: Line[];
}

/** A document as a period's close (or a credit note) writes it (migrations/0036_invoices.sql), its PDF not made yet. */
async function insertDocument(partnerId: string, d: Document) {
  const start = `${d.month}-01`;
  const end = `${nextMonth(d.month)}-01`;
  const issued = `${end}T02:00:00.000Z`;
  await sql(
    control,
    `INSERT INTO invoices (id, partner_id, kind, number, status, period_start, period_end, plan_version,
       currency, subtotal, credited, tax_bps, tax, total, usage_from, usage_to, credit_note_for, reason,
       settlement, issued_at, paid_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'USD', ?, ?, 1200, ?, ?, ?, ?, ?, ?, 'invoice', ?, ?)`,
    d.id,
    partnerId,
    d.kind,
    d.number,
    d.status,
    start,
    end,
    d.subtotal,
    d.credited,
    d.tax,
    d.total,
    `${start}T00:00:00.000Z`,
    `${end}T00:00:00.000Z`,
    d.creditNoteFor ?? null,
    d.kind === "credit_note" ? "goodwill" : null,
    issued,
    d.status === "paid" ? issued : null,
  );
  for (const [i, l] of d.lines.entries())
    await sql(
      control,
      `INSERT INTO invoice_lines (invoice_id, position, kind, description, product, tier, quantity,
         unit_price_minor, unit_price_per, amount) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 1, ?)`,
      d.id,
      i,
      l.kind,
      `${l.kind} ${l.product ?? ""}`.trim(),
      l.product,
      l.quantity,
      l.unit,
      l.amount,
    );
}

/**
 * A partner of its own with two months invoiced in USD at 12 % tax (docs/invoices.md's worked
 * example): two months ago 310.00 + 1.00 of calls, paid; last month 310.00 + 2.50 of calls less a
 * 12.50 service credit, unpaid, with a credit note of 100.00 + tax against it.
 */
async function seed() {
  const built = await buildPartner({
    name: `Revenue Partner ${Date.now()}`,
    environment: "sandbox",
    tier: "standard",
    products: ["payments"],
  });
  for (const statement of unstable_splitSqlQuery(partnerSql(built, false))) await sql(control, statement);
  const partnerId = built.secrets.partnerId;
  const year = new Date().getUTCFullYear();
  const number = (series: string) => `${series}-${year}-9${String(randomInt(100_000)).padStart(5, "0")}`;
  const [before, last] = [monthAgo(2), monthAgo(1)];
  const paid: Document = {
    id: randomUUID(),
    number: number("INV"),
    kind: "invoice",
    status: "paid",
    month: before,
    subtotal: 31_100,
    credited: 0,
    tax: 3_732,
    total: 34_832,
    lines: [
      { kind: "recurring_fee", product: null, quantity: 1, unit: 31_000, amount: 31_000 },
      { kind: "included_calls", product: "payments", quantity: 10, unit: 0, amount: 0 },
      { kind: "usage", product: "payments", quantity: 20, unit: 5, amount: 100 },
    ],
  };
  const open: Document = {
    id: randomUUID(),
    number: number("INV"),
    kind: "invoice",
    status: "issued",
    month: last,
    subtotal: 31_250,
    credited: 1_250,
    tax: 3_600,
    total: 33_600,
    lines: [
      { kind: "recurring_fee", product: null, quantity: 1, unit: 31_000, amount: 31_000 },
      { kind: "usage", product: "payments", quantity: 50, unit: 5, amount: 250 },
      { kind: "credit", product: null, quantity: 1, unit: -1_250, amount: -1_250 },
    ],
  };
  const note: Document = {
    id: randomUUID(),
    number: number("CN"),
    kind: "credit_note",
    status: "issued",
    month: last,
    subtotal: 10_000,
    credited: 0,
    tax: 1_200,
    total: 11_200,
    creditNoteFor: open.id,
    lines: [{ kind: "credit", product: null, quantity: 1, unit: -10_000, amount: -10_000 }],
  };
  for (const d of [paid, open, note]) await insertDocument(partnerId, d);
  return { partnerId, name: built.rows.partner.name, before, last, paid, open, note };
}

describe("the console's revenue page in Chromium", () => {
  it("shows each month's revenue per product, credit notes and collection; filters to a partner and month; downloads a PDF", {
    timeout: 90_000,
  }, async () => {
    const s = await seed();
    const viewer = await consolePerson(browser, origin, control, access, "viewer");
    const page = await viewer.context.newPage();
    try {
      await page.goto("/console");
      await page.getByRole("navigation").getByRole("link", { name: "Revenue" }).click();
      await page.waitForURL(/\/console\/revenue$/);
      expect(new URL(page.url()).pathname).toBe("/console/revenue");
      // The last twelve months by default: both of the partner's months, newest first.
      const last = page.locator(`tr[data-revenue="${s.last} ${s.partnerId} USD"]`);
      const before = page.locator(`tr[data-revenue="${s.before} ${s.partnerId} USD"]`);
      expect(await last.count()).toBe(1);
      expect(await before.count()).toBe(1);
      const cell = (row: typeof last, selector: string) => row.locator(selector).textContent();
      expect(await last.getByRole("link", { name: s.name, exact: true }).getAttribute("href")).toBe(
        `/console/partners/${s.partnerId}`,
      );
      expect(await cell(last, '[data-product="payments"]')).toBe("2.50 USD");
      expect(await cell(last, '[data-product="fees"]')).toBe("310.00 USD");
      expect(await cell(last, '[data-product="credits"]')).toBe("-12.50 USD");
      expect(await cell(last, '[data-field="tax"]')).toBe("36.00 USD");
      expect(await cell(last, '[data-field="total"]')).toBe("336.00 USD");
      expect(await cell(last, '[data-field="credit-notes"]')).toBe("112.00 USD");
      expect(await cell(last, '[data-field="collected"]')).toBe("0.00 USD");
      expect(await cell(last, '[data-field="outstanding"]')).toBe("224.00 USD");
      expect(await cell(last, '[data-field="status"]')).toBe("outstanding");
      expect(await cell(before, '[data-product="payments"]')).toBe("1.00 USD");
      expect(await cell(before, '[data-product="credits"]')).toBe("—");
      expect(await cell(before, '[data-field="total"]')).toBe("348.32 USD");
      expect(await cell(before, '[data-field="collected"]')).toBe("348.32 USD");
      expect(await cell(before, '[data-field="outstanding"]')).toBe("0.00 USD");
      expect(await cell(before, '[data-field="status"]')).toBe("paid");
      const rows = await page
        .locator("tr[data-revenue]")
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-revenue") ?? ""));
      expect(rows.indexOf(`${s.last} ${s.partnerId} USD`)).toBeLessThan(
        rows.indexOf(`${s.before} ${s.partnerId} USD`),
      );
      expect(await page.getByText("to list its invoices").count()).toBe(1);
      await shot(page, "console-revenue");
      expect(await seriousViolations(page)).toEqual([]);

      // The GET form: one partner, last month only; its totals and its documents with their PDFs.
      await page.getByLabel("From month").fill(s.last);
      await page.getByLabel("To month").fill(s.last);
      await page.getByLabel("Partner ID").fill(s.partnerId);
      await page.getByRole("button", { name: "Show" }).click();
      await page.waitForURL(/\/console\/revenue\?/);
      const query = new URL(page.url()).searchParams;
      expect(Object.fromEntries(query)).toEqual({ from: s.last, to: s.last, partner_id: s.partnerId });
      expect(await page.locator("tr[data-revenue]").count()).toBe(1);
      expect(await page.locator('[data-total="invoiced"]').textContent()).toBe("336.00 USD");
      expect(await page.locator('[data-total="credit-notes"]').textContent()).toBe("112.00 USD");
      expect(await page.locator('[data-total="collected"]').textContent()).toBe("0.00 USD");
      expect(await page.locator('[data-total="outstanding"]').textContent()).toBe("224.00 USD");
      expect(await page.locator("tr[data-invoice]").count()).toBe(2);
      expect(await page.locator(`tr[data-invoice="${s.paid.id}"]`).count()).toBe(0);
      const invoice = page.locator(`tr[data-invoice="${s.open.id}"]`);
      expect(await invoice.textContent()).toContain(s.open.number);
      expect(await invoice.textContent()).toContain("336.00 USD");
      expect(await invoice.locator(".badge").textContent()).toBe("issued");
      const note = page.locator(`tr[data-invoice="${s.note.id}"]`);
      expect(await note.textContent()).toContain(`credit note for ${s.open.number}`);
      expect(await note.textContent()).toContain("112.00 USD");
      await shot(page, "console-revenue-partner");
      expect(await seriousViolations(page)).toEqual([]);

      const link = invoice.getByRole("link", { name: `${s.open.number}.pdf` });
      expect(await link.getAttribute("href")).toBe(`/console/invoices/${s.open.id}/pdf`);
      const pdf = await viewer.context.request.get(`/console/invoices/${s.note.id}/pdf`);
      expect(pdf.status(), await pdf.text()).toBe(200);
      expect(pdf.headers()["content-type"]).toBe("application/pdf");
      expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      expect(await download.failure()).toBeNull();
      expect(download.suggestedFilename()).toBe(`${s.open.number}.pdf`);
      const bytes = await readFile((await download.path()) as string);
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      // The partner, by its name, is linked to its console page.
      await page.locator("tr[data-revenue]").getByRole("link", { name: s.name, exact: true }).click();
      await page.waitForURL(/\/console\/partners\//);
      expect(new URL(page.url()).pathname).toBe(`/console/partners/${s.partnerId}`);

      // The narrow screen: the wide table scrolls in its own region, the page does not.
      const narrow = await consolePerson(browser, origin, control, access, "viewer", {
        viewport: { width: 390, height: 844 },
      });
      const small = await narrow.context.newPage();
      await small.goto(`/console/revenue?${new URLSearchParams({ partner_id: s.partnerId })}`);
      expect(await pageWidth(small)).toBeLessThanOrEqual(390);
      await narrow.context.close();
    } finally {
      await viewer.context.close();
    }
  });

  it("says when nothing is invoiced, and shows the admin API's refusals with their codes", {
    timeout: 60_000,
  }, async () => {
    const viewer = await consolePerson(browser, origin, control, access, "viewer");
    const page = await viewer.context.newPage();
    try {
      await page.goto("/console/revenue?from=2001-01&to=2001-12");
      expect(await page.locator("tr[data-revenue]").count()).toBe(0);
      expect(await page.getByText("No invoices yet from 2001-01 to 2001-12.").count()).toBe(1);
      expect(await page.locator('[data-total="invoiced"]').count()).toBe(0);
      await shot(page, "console-revenue-empty");
      expect(await seriousViolations(page)).toEqual([]);

      // A partner without documents: the report and its invoice list are both empty.
      await page.goto(`/console/revenue?${new URLSearchParams({ partner_id: randomUUID() })}`);
      expect(await page.locator("tr[data-revenue]").count()).toBe(0);
      expect(await page.getByText("No invoices yet for this partner in these months.").count()).toBe(1);

      // A range the API refuses (from after to): its 400 with code 174, as other pages show it.
      const refused = await page.goto("/console/revenue?from=2026-05&to=2026-01");
      expect(refused?.status()).toBe(400);
      expect(await page.getByRole("alert").textContent()).toContain("(code 174)");
      expect(await page.getByText("No invoices yet").count()).toBe(0);
      expect(await page.getByLabel("From month").inputValue()).toBe("2026-05");

      // An invoice that does not exist: the PDF route answers the API's 404 as a page.
      const missing = await page.goto(`/console/invoices/${randomUUID()}/pdf`);
      expect(missing?.status()).toBe(404);
      expect(await page.getByRole("alert").textContent()).toMatch(/\(code \d+\)/);
      expect(await page.getByRole("link", { name: "Back to revenue" }).count()).toBe(1);
    } finally {
      await viewer.context.close();
    }
  });
});
