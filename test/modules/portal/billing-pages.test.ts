import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE } from "../../support/http";
import { provisionPartner, type TestPartner } from "../../support/partners";
import { billedPartner, close, invoicesOfPartner, PLAN } from "../billing/invoicing/support";

const SAME = { "Sec-Fetch-Site": "same-origin", Origin: BASE };
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

async function page(path: string, opts: { cookie?: string; form?: Record<string, string> } = {}) {
  const res = await SELF.fetch(`${BASE}${path}`, {
    method: opts.form ? "POST" : "GET",
    redirect: "manual",
    headers: {
      ...(opts.form ? { ...FORM, ...SAME } : {}),
      ...(opts.cookie ? { Cookie: opts.cookie } : {}),
    },
    body: opts.form ? new URLSearchParams(opts.form).toString() : null,
  });
  return { res, text: await res.text() };
}

async function signedIn(p: TestPartner) {
  const res = await SELF.fetch(`${BASE}/portal/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { ...SAME, ...FORM },
    body: new URLSearchParams({ partner_id: p.id, username: p.username, password: p.password }).toString(),
  });
  return (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
/** A row of a table, its tags stripped. */
const rowOf = (html: string, attr: string, value: string) =>
  (new RegExp(`<tr ${attr}="${value}">(.*?)</tr>`).exec(html)?.[1] ?? "").replace(/<[^>]+>/g, "|");

describe("the portal's Plan & usage page (workerd)", () => {
  it("shows the plan in force, this period's included calls, and adds and deletes an alert", async () => {
    const p = await billedPartner({ plan: { ...PLAN, setup_fee_minor: 5000 } });
    const cookie = await signedIn(p);
    const r = await page("/portal/plan", { cookie });
    expect(r.res.status).toBe(200);
    expect(r.text).toContain('aria-current="page">Plan &amp; usage');
    expect(r.text).toContain("Plan version 1, in force since");
    expect(r.text).toContain("310.00 USD a month");
    expect(r.text).toContain("50.00 USD");
    expect(r.text).toContain("billed: calls past");
    expect(rowOf(r.text, "data-product", "payments")).toBe(
      "|payments||10||0||10||graduated: calls 1 and over at 0.05 USD a call|",
    );
    expect(r.text).toContain("No change is scheduled.");
    expect(r.text).toContain("No usage alerts.");

    const csrf = csrfOf(r.text);
    const added = await page("/portal/plan/alerts", {
      cookie,
      form: { csrf, idempotency_key: crypto.randomUUID(), product: "payments", threshold_percent: "80" },
    });
    expect(added.res.status).toBe(200);
    expect(added.text).toContain("Alert at 80 % of the included payments calls added.");
    expect(rowOf(added.text, "data-alert", "payments 80")).toContain("80 % of the included calls");
    const id = /action="\/portal\/plan\/alerts\/([^/]+)\/delete"/.exec(added.text)?.[1] ?? "";
    const deleted = await page(`/portal/plan/alerts/${id}/delete`, {
      cookie,
      form: { csrf, idempotency_key: crypto.randomUUID() },
    });
    expect(deleted.text).toContain("Alert deleted.");
    expect(deleted.text).not.toContain('data-alert="payments 80"');

    const refused = await page("/portal/plan/alerts", {
      cookie,
      form: { csrf, idempotency_key: crypto.randomUUID(), product: "payments", threshold_percent: "0" },
    });
    expect(refused.res.status).toBe(400);
    expect(refused.text).toContain("(code 4)");
  });

  it("says so when the partner has no rate plan", async () => {
    const cookie = await signedIn(await provisionPartner());
    const r = await page("/portal/plan", { cookie });
    expect(r.res.status).toBe(200);
    expect(r.text).toContain("No rate plan yet");
    expect(r.text).not.toContain('class="flash');
  });

  it("sends a visitor without a session to sign in", async () => {
    for (const path of ["/portal/plan", "/portal/invoices"]) {
      const r = await page(path);
      expect(r.res.status).toBe(303);
      expect(r.res.headers.get("Location")).toBe("/portal/sign-in");
    }
  });
});

describe("the portal's Invoices pages (workerd)", () => {
  it("lists the invoice, shows its lines, and downloads its PDF through the portal", async () => {
    const p = await billedPartner();
    await close(p.id);
    const [inv] = await invoicesOfPartner(p.id);
    const cookie = await signedIn(p);
    const list = await page("/portal/invoices", { cookie });
    expect(list.res.status).toBe(200);
    expect(list.text).toContain('aria-current="page">Invoices');
    const row = rowOf(list.text, "data-invoice", inv?.number ?? "");
    expect(row).toContain(`|${inv?.number}|`);
    expect(row).toContain("|Invoice|");
    expect(row).toContain(`|${p.startsOn} to `);
    // $310 and 12 % tax.
    expect(row).toContain("|347.20 USD|");

    const one = await page(`/portal/invoices/${inv?.id}`, { cookie });
    expect(one.res.status).toBe(200);
    expect(one.text).toContain(`<h1>Invoice ${inv?.number}</h1>`);
    expect(rowOf(one.text, "data-line", "recurring_fee")).toContain("|310.00 USD|");
    expect(one.text).toContain("Tax (12.00 %)");

    const pdf = await SELF.fetch(`${BASE}/portal/invoices/${inv?.id}/pdf`, { headers: { Cookie: cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    expect(pdf.headers.get("Content-Disposition")).toBe(`attachment; filename="${inv?.number}.pdf"`);
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
  });

  it("answers another partner's invoice, and its PDF, as not found", async () => {
    const owner = await billedPartner();
    await close(owner.id);
    const [inv] = await invoicesOfPartner(owner.id);
    const cookie = await signedIn(await provisionPartner());
    for (const path of [`/portal/invoices/${inv?.id}`, `/portal/invoices/${inv?.id}/pdf`]) {
      const r = await page(path, { cookie });
      expect(r.res.status).toBe(404);
      expect(r.res.headers.get("Content-Type")).toContain("text/html");
      expect(r.text).toContain("(code 30)");
      expect(r.text).not.toContain(inv?.number ?? "none");
    }
    const empty = await page("/portal/invoices", { cookie });
    expect(empty.text).toContain("No invoices yet");
  });
});
