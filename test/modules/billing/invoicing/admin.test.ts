import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { balancesOf, ledgerImbalance } from "../../../../src/modules/ledger/storage";
import { admin, adminCall, expectDocumented } from "../../../support/admin";
import { eventRows } from "../../../support/outbox";
import { db } from "../../../support/partners";
import { billedPartner, close, invoicesOfPartner, meter } from "./support";

const DAY = 86_400_000;

async function expectBalanced() {
  for (const row of await ledgerImbalance(db)) expect(Number(row.imbalance)).toBe(0);
}

const balances = async (owner: string, codes: string[]) =>
  Object.fromEntries((await balancesOf(db, owner, codes)).map((b) => [b.code, Number(b.balance)]));

const auditOf = (action: string, target: string) =>
  env.DB.prepare("SELECT outcome FROM admin_audit_log WHERE action = ? AND target = ?")
    .bind(action, target)
    .all<{ outcome: number }>();

async function issued() {
  const p = await billedPartner();
  await meter(p.id, Date.parse(p.startsOn) + DAY, 30);
  await close(p.id);
  const [inv] = await invoicesOfPartner(p.id);
  if (!inv) throw new Error("no invoice");
  // 31,000 + 20 × 5 = 31,100; tax 12 % = 3,732; total 34,832.
  expect(inv.total).toBe(34_832);
  return { p, inv };
}

describe("admin invoices", () => {
  it("lists a partner's invoices, reads one with lines and downloads its PDF", async () => {
    const { p, inv } = await issued();
    const viewer = await admin("viewer");
    const list = await adminCall("GET", `/admin/v1/partners/${p.id}/invoices`, { token: viewer.token });
    expect(list.res.status).toBe(200);
    expect(list.body.result.data.map((d: { id: string }) => d.id)).toEqual([inv.id]);
    const one = await adminCall("GET", `/admin/v1/invoices/${inv.id}`, { token: viewer.token });
    expect(one.body.result).toMatchObject({ number: inv.number, total: 34_832 });
    expect(one.body.result.lines).toHaveLength(3);
    const pdf = await adminCall("GET", `/admin/v1/invoices/${inv.id}/pdf`, { token: viewer.token });
    expect(pdf.res.status).toBe(200);
    expect(pdf.res.headers.get("Content-Type")).toBe("application/pdf");
    const missing = await adminCall("GET", `/admin/v1/invoices/${crypto.randomUUID()}`, {
      token: viewer.token,
    });
    expect(missing.res.status).toBe(404);
    expect(missing.body.error.code).toBe(30);
  });

  it("records a payment from outside once: bank clearing → receivable, paid, invoice.paid, audited", async () => {
    const { p, inv } = await issued();
    const operator = await admin("operator");
    const path = `/admin/v1/invoices/${inv.id}/payments`;
    const json = { params: { reason: "wire transfer received 2026-12-01" } };
    const viewer = await admin("viewer");
    expect((await adminCall("POST", path, { token: viewer.token, json })).res.status).toBe(403);
    const paid = await adminCall("POST", path, { token: operator.token, json });
    expect(paid.res.status).toBe(200);
    expect(paid.body.result).toMatchObject({ status: "paid", number: inv.number });
    expect(await balances(p.id, ["partner_receivable"])).toEqual({ partner_receivable: 0 });
    expect(await eventRows(p.id, "invoice.paid")).toHaveLength(1);
    const again = await adminCall("POST", path, { token: operator.token, json });
    expect(again.res.status).toBe(409);
    expect(again.body.error.code).toBe(60);
    expect(await eventRows(p.id, "invoice.paid")).toHaveLength(1);
    expect((await auditOf("invoice.pay", inv.id)).results.map((r) => r.outcome).sort()).toEqual([
      200, 403, 409,
    ]);
    for (const bad of [
      {},
      { params: {} },
      { params: { reason: "x" } },
      { params: { reason: "long enough", extra: 1 } },
    ]) {
      const r = await adminCall("POST", path, { token: operator.token, json: bad });
      expect(r.res.status).toBe(400);
    }
    await expectDocumented("adminPayInvoice", [[200], [409, 60], [403, 104], [404, 30], [400, 4]]);
    await expectBalanced();
  });

  it("issues credit notes in their own series, never past what is uncredited, posted as the reverse", async () => {
    const { p, inv } = await issued();
    const operator = await admin("operator");
    const path = `/admin/v1/invoices/${inv.id}/credit_notes`;
    const first = await adminCall("POST", path, {
      token: operator.token,
      json: { params: { amount_minor: 10_000, reason: "outage on 2026-11-03" } },
    });
    expect(first.res.status).toBe(201);
    expect(first.body.result).toMatchObject({
      object: "credit_note",
      credit_note_for: inv.id,
      subtotal: 10_000,
      tax: 1_200,
      total: 11_200,
    });
    expect(first.body.result.number).toMatch(/^CN-\d{4}-\d{6}$/);
    expect(await balances(p.id, ["partner_receivable"])).toEqual({ partner_receivable: 34_832 - 11_200 });
    // 23,632 left: 21,100 + 2,532 tax is 23,632 exactly; one minor unit more is refused.
    const over = await adminCall("POST", path, {
      token: operator.token,
      json: { params: { amount_minor: 21_101, reason: "too much" } },
    });
    expect(over.res.status).toBe(409);
    expect(over.body.error.code).toBe(172);
    const rest = await adminCall("POST", path, {
      token: operator.token,
      json: { params: { amount_minor: 21_100, reason: "the rest" } },
    });
    expect(rest.res.status).toBe(201);
    expect(Number(rest.body.result.number.slice(-6))).toBe(Number(first.body.result.number.slice(-6)) + 1);
    expect(await balances(p.id, ["partner_receivable"])).toEqual({ partner_receivable: 0 });
    // The invoice itself never changed.
    const [after] = await invoicesOfPartner(p.id);
    expect(after).toMatchObject({ id: inv.id, total: inv.total, status: "issued", number: inv.number });
    await expectBalanced();
    const onNote = await adminCall("POST", `/admin/v1/invoices/${first.body.result.id}/credit_notes`, {
      token: operator.token,
      json: { params: { amount_minor: 1, reason: "a note of a note" } },
    });
    expect(onNote.res.status).toBe(404);
    await expectDocumented("adminCreateCreditNote", [[201], [409, 172], [404, 30]]);
  });

  it("concurrent credit notes never exceed the invoice and burn no number", async () => {
    const { inv } = await issued();
    const operator = await admin("operator");
    const path = `/admin/v1/invoices/${inv.id}/credit_notes`;
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        adminCall("POST", path, {
          token: operator.token,
          json: { params: { amount_minor: 20_000, reason: "race" } },
        }),
      ),
    );
    expect(answers.map((a) => a.res.status).sort()).toEqual([201, 409, 409]);
    const numbers = (
      await env.DB.prepare("SELECT number FROM invoices WHERE kind = 'credit_note' ORDER BY number").all<{
        number: string;
      }>()
    ).results.map((r) => Number(r.number.slice(-6)));
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
  });
});

describe("GET /admin/v1/revenue", () => {
  it("shows invoiced amounts per product and month, credit notes and collection", async () => {
    const { p, inv } = await issued();
    const operator = await admin("operator");
    await adminCall("POST", `/admin/v1/invoices/${inv.id}/credit_notes`, {
      token: operator.token,
      json: { params: { amount_minor: 1_000, reason: "goodwill" } },
    });
    const month = inv.periodStart.slice(0, 7);
    const viewer = await admin("viewer");
    const r = await adminCall("GET", `/admin/v1/revenue?from=${month}&to=${month}&partner_id=${p.id}`, {
      token: viewer.token,
    });
    expect(r.res.status).toBe(200);
    expect(r.body.result.data).toEqual([
      {
        partner_id: p.id,
        month,
        currency: "USD",
        lines: [
          { product: "fees", amount_minor: 31_000 },
          { product: "payments", amount_minor: 100 },
        ],
        invoices: 1,
        subtotal_minor: 31_100,
        tax_minor: 3_732,
        total_minor: 34_832,
        credit_notes_minor: 1_120,
        paid_minor: 0,
        outstanding_minor: 34_832 - 1_120,
        status: "outstanding",
      },
    ]);
    await adminCall("POST", `/admin/v1/invoices/${inv.id}/payments`, {
      token: operator.token,
      json: { params: { reason: "wire transfer received" } },
    });
    const paid = await adminCall("GET", `/admin/v1/revenue?from=${month}&to=${month}&partner_id=${p.id}`, {
      token: viewer.token,
    });
    expect(paid.body.result.data[0]).toMatchObject({
      paid_minor: 34_832,
      outstanding_minor: 0,
      status: "paid",
    });
  });

  it("refuses a bad range", async () => {
    const viewer = await admin("viewer");
    for (const q of [
      "from=2026-05&to=2026-01",
      "from=2020-01&to=2026-01",
      "from=2026-13&to=2026-12",
      "to=2026-01",
    ]) {
      const r = await adminCall("GET", `/admin/v1/revenue?${q}`, { token: viewer.token });
      expect(r.res.status).toBe(400);
    }
    await expectDocumented("adminRevenue", [[400, 174]]);
  });
});
