import { env } from "cloudflare:workers";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { balancesOf, ledgerImbalance } from "../../../../src/modules/ledger/storage";
import { runJob } from "../../../support/cron";
import { eventRows } from "../../../support/outbox";
import { db, fund } from "../../../support/partners";
import { dayOfCalls, logCalls } from "../sla-support";
import { billedPartner, close, dayOf, invoicesOfPartner, meter, numberOf } from "./support";

const DAY = 86_400_000;

async function expectBalanced() {
  for (const row of await ledgerImbalance(db)) expect(Number(row.imbalance)).toBe(0);
}

const linesOf = async (invoiceId: string) =>
  (
    await env.DB.prepare("SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY position")
      .bind(invoiceId)
      .all<{ kind: string; quantity: number; amount: number; product: string | null }>()
  ).results;

describe("closing a billing period", () => {
  it("issues the period's invoice with its lines, posts it and stores invoice.issued", async () => {
    const p = await billedPartner();
    await meter(p.id, Date.parse(p.startsOn) + DAY, 25);
    await meter(p.id, Date.parse(p.startsOn) + DAY, 7, "refused");
    const { issued } = await close(p.id);
    expect(issued).toHaveLength(1);
    const [inv] = await invoicesOfPartner(p.id);
    expect(inv).toMatchObject({
      kind: "invoice",
      status: "issued",
      periodStart: p.startsOn,
      currency: "USD",
      subtotal: 31_075,
      tax: 3_729,
      total: 34_804,
    });
    expect(inv?.number).toMatch(/^INV-\d{4}-\d{6}$/);
    const lines = await linesOf(inv?.id ?? "");
    expect(lines.map((l) => [l.kind, l.quantity, l.amount])).toEqual([
      ["recurring_fee", 1, 31_000],
      ["included_calls", 10, 0],
      ["usage", 15, 75],
    ]);
    const receivable = await balancesOf(db, p.id, ["partner_receivable"]);
    expect(receivable.map((r) => [r.currency, Number(r.balance)])).toEqual([["USD", 34_804]]);
    expect(await eventRows(p.id, "invoice.issued")).toHaveLength(1);
    const event = await env.DB.prepare(
      "SELECT data FROM events WHERE partner_id = ? AND type = 'invoice.issued'",
    )
      .bind(p.id)
      .first<{ data: string }>();
    expect(JSON.parse(event?.data ?? "{}").object).toMatchObject({
      id: inv?.id,
      number: inv?.number,
      total: 34_804,
    });
    await expectBalanced();
  });

  it("closing twice issues one invoice", async () => {
    const p = await billedPartner();
    expect((await close(p.id)).issued).toHaveLength(1);
    expect((await close(p.id)).issued).toHaveLength(0);
    expect(await invoicesOfPartner(p.id)).toHaveLength(1);
    expect(await eventRows(p.id, "invoice.issued")).toHaveLength(1);
  });

  it("two concurrent closes of one partner issue one invoice and burn no number", async () => {
    const p = await billedPartner();
    const before = await env.DB.prepare(
      "SELECT max(number) AS n FROM invoices WHERE kind = 'invoice'",
    ).first<{
      n: string | null;
    }>();
    await Promise.all([close(p.id), close(p.id), close(p.id)]);
    const rows = await invoicesOfPartner(p.id);
    expect(rows).toHaveLength(1);
    const last = before?.n ? numberOf(before.n) : 0;
    expect(numberOf(rows[0]?.number ?? "")).toBe(last + 1);
  });

  it("concurrent closes of many partners number 1..N without gap or duplicate", async () => {
    const partners = await Promise.all(Array.from({ length: 8 }, () => billedPartner()));
    await Promise.all(partners.map((p) => close(p.id)));
    const all = (
      await env.DB.prepare("SELECT number FROM invoices WHERE kind = 'invoice' ORDER BY number").all<{
        number: string;
      }>()
    ).results.map((r) => numberOf(r.number));
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    for (const p of partners) expect(await invoicesOfPartner(p.id)).toHaveLength(1);
  });

  it("a crash after the batch and before the PDF: the next run makes the PDF and issues nothing new", async () => {
    const p = await billedPartner();
    const crashing = { put: () => Promise.reject(new Error("worker died")) } as unknown as R2Bucket;
    await close(p.id, { bucket: crashing });
    const [inv] = await invoicesOfPartner(p.id);
    expect(inv?.pdfKey).toBeNull();
    await runJob("billing.close");
    const after = await invoicesOfPartner(p.id);
    expect(after).toHaveLength(1);
    expect(after[0]?.pdfKey).toBe(`invoices/${p.id}/${inv?.id}.pdf`);
    const object = await env.INVOICES.get(after[0]?.pdfKey ?? "");
    const bytes = new Uint8Array(await (object as R2ObjectBody).arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe(`Invoice ${inv?.number}`);
    expect(await eventRows(p.id, "invoice.issued")).toHaveLength(1);
  });

  it("a period not ended yet is not closed", async () => {
    const p = await billedPartner({ daysAgo: 3 });
    expect((await close(p.id)).issued).toHaveLength(0);
  });

  it("balance settlement pays the invoice from the partner's balance in the same batch", async () => {
    const p = await billedPartner({ settlement: "balance", taxBps: 0 });
    await fund(p.id, 100_000, "USD");
    await close(p.id);
    const [inv] = await invoicesOfPartner(p.id);
    expect(inv).toMatchObject({ status: "paid", total: 31_000 });
    expect(await eventRows(p.id, "invoice.paid")).toHaveLength(1);
    const balances = await balancesOf(db, p.id, ["partner_available", "partner_receivable"]);
    expect(Object.fromEntries(balances.map((b) => [b.code, Number(b.balance)]))).toEqual({
      partner_available: 69_000,
      partner_receivable: 0,
    });
    await expectBalanced();
  });

  it("balance settlement leaves the invoice issued when the balance does not cover it", async () => {
    const p = await billedPartner({ settlement: "balance", taxBps: 0 });
    await fund(p.id, 1_000, "USD");
    await close(p.id);
    const [inv] = await invoicesOfPartner(p.id);
    expect(inv?.status).toBe("issued");
    expect(await eventRows(p.id, "invoice.paid")).toHaveLength(0);
    const balances = await balancesOf(db, p.id, ["partner_available"]);
    expect(Number(balances[0]?.balance)).toBe(1_000);
  });

  it("an issued invoice and its lines cannot be changed or deleted", async () => {
    const p = await billedPartner();
    await close(p.id);
    const [inv] = await invoicesOfPartner(p.id);
    const id = inv?.id ?? "";
    await expect(env.DB.prepare("UPDATE invoices SET total = 1 WHERE id = ?").bind(id).run()).rejects.toThrow(
      /immutable/,
    );
    await expect(env.DB.prepare("DELETE FROM invoices WHERE id = ?").bind(id).run()).rejects.toThrow(
      /immutable/,
    );
    await expect(
      env.DB.prepare("UPDATE invoice_lines SET amount = 0 WHERE invoice_id = ?").bind(id).run(),
    ).rejects.toThrow(/immutable/);
    expect((await invoicesOfPartner(p.id))[0]?.total).toBe(inv?.total);
  });

  it("a missed SLA target credits the period's invoice automatically, and a met one credits nothing", async () => {
    const missed = await billedPartner();
    const met = await billedPartner();
    const day = dayOf(Date.parse(missed.startsOn) + 2 * DAY);
    // Enterprise: 99.90 % availability, p95 300 ms. 2 of 1000 calls failed: 99.80 %, missed, above
    // the 99.50 % floor, so 10 % of the fee. The p95 (40 ms) is met.
    await logCalls(
      missed.id,
      dayOfCalls(day, 1000, () => 40, { errors: 2 }),
    );
    await logCalls(
      met.id,
      dayOfCalls(day, 1000, () => 40, { errors: 1 }),
    );
    // Outside the period: not measured.
    await logCalls(
      missed.id,
      dayOfCalls(dayOf(Date.parse(missed.startsOn) - DAY), 10, () => 40, { errors: 10 }),
    );
    await close(missed.id);
    await close(met.id);
    const [inv] = await invoicesOfPartner(missed.id);
    const lines = await linesOf(inv?.id ?? "");
    expect(lines.map((l) => [l.kind, l.amount])).toEqual([
      ["recurring_fee", 31_000],
      ["credit", -3_100],
    ]);
    const stored = await env.DB.prepare(
      "SELECT description FROM invoice_lines WHERE invoice_id = ? AND kind = 'credit'",
    )
      .bind(inv?.id)
      .first<{ description: string }>();
    expect(stored?.description).toMatch(
      /^Service credit 10\.00 %: availability 99\.80 % below the 99\.90 % target, /,
    );
    // 31,000 − 3,100 = 27,900 taxable; 12 % = 3,348.
    expect(inv).toMatchObject({ subtotal: 31_000, tax: 3_348, total: 31_248 });
    const [clean] = await invoicesOfPartner(met.id);
    expect(clean).toMatchObject({ subtotal: 31_000, total: 34_720 });
    expect((await linesOf(clean?.id ?? "")).map((l) => l.kind)).toEqual(["recurring_fee"]);
    await expectBalanced();
  });
});
