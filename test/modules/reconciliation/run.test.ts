import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminCall } from "../../support/admin";
import {
  age,
  approver,
  captureFee,
  csvOf,
  importCsv,
  itemsOf,
  operator,
  payer,
  rowsOf,
  sandboxReport,
  startRun,
} from "./support";

const DAY = 86_400_000;

/**
 * The "done when": a report generated from real sandbox payments, with one mismatch of
 * each kind planted, reconciled; each planted mismatch is found exactly once, the rest matches.
 */
describe("a reconciliation run over a report with planted mismatches", () => {
  it("finds each planted mismatch once, matches the rest, and surfaces the stuck payments", async () => {
    const s = await payer();
    const plain = await s.pay({});
    const refunded = await s.pay({ amount: 40_000 });
    const fullRefund = await s.refund(refunded.id);
    const partial = await s.pay({ amount: 70_000 });
    const partialRefund = await s.refund(partial.id, 30_000);
    const wrongAmount = await s.pay({ amount: 55_000 });
    const wrongCurrency = await s.pay({ amount: 56_000 });
    const wrongFee = await s.pay({ amount: 57_000 });
    const wrongReference = await s.pay({ amount: 58_000 });
    const missingLine = await s.pay({ amount: 59_000 });
    const stuckAuthorized = await s.pay({ capture: false });
    const freshAuthorized = await s.pay({ capture: false });
    const stuckPending = await s.pay({ payment_method_token: "pm_qr" });
    const freshPending = await s.pay({ payment_method_token: "pm_qr" });
    const now = Date.now();
    await age(stuckAuthorized.id, { updatedAt: new Date(now - 8 * DAY).toISOString() });
    await age(stuckPending.id, { expiresAt: new Date(now - 60 * 60_000).toISOString() });

    const date = plain.created_at.slice(0, 10);
    const rows = rowsOf(await sandboxReport(date));
    const mine = (id: string) => rows.filter((r) => r.payment_id === id);
    // The acquirer's view: one capture per captured payment, one line per refund.
    expect(mine(plain.id).map((r) => [r.type, r.amount, r.fee])).toEqual([
      ["capture", "100000", String(captureFee(100_000))],
    ]);
    expect(mine(refunded.id).map((r) => [r.type, r.refund_id, r.amount])).toEqual([
      ["capture", "", "40000"],
      ["refund", fullRefund.id, "40000"],
    ]);
    expect(mine(partial.id).map((r) => [r.type, r.amount])).toEqual([
      ["capture", "70000"],
      ["refund", "30000"],
    ]);
    expect(mine(stuckAuthorized.id)).toEqual([]);

    // The planted mismatches.
    const set = (id: string, change: (r: Record<string, string>) => void) => {
      const row = rows.find((r) => r.payment_id === id && r.type === "capture");
      if (!row) throw new Error(`no line for ${id}`);
      change(row);
    };
    set(wrongAmount.id, (r) => {
      r.amount = "55500";
      r.fee = String(captureFee(55_500));
      r.net = String(55_500 - captureFee(55_500));
    });
    set(wrongCurrency.id, (r) => {
      r.currency = "USD";
    });
    set(wrongFee.id, (r) => {
      r.fee = String(Number(r.fee) + 1);
      r.net = String(Number(r.net) - 1);
    });
    set(wrongReference.id, (r) => {
      r.provider_reference = "sbx_not_ours";
    });
    const unknown = crypto.randomUUID();
    const planted = rows.filter((r) => r.payment_id !== missingLine.id);
    planted.push({
      provider: "sandbox",
      settlement_date: date,
      type: "capture",
      provider_reference: "sbx_unknown",
      payment_id: unknown,
      refund_id: "",
      amount: "12345",
      currency: "UZS",
      fee: String(captureFee(12_345)),
      net: String(12_345 - captureFee(12_345)),
    });

    const op = await operator();
    const imported = await importCsv(csvOf(planted), op.token);
    expect(imported.res.status).toBe(201);
    expect(imported.body.result).toMatchObject({
      object: "settlement_report",
      provider: "sandbox",
      settlement_date: date,
      source: "upload",
      line_count: planted.length,
      created_by: op.email,
    });
    const run = await startRun(imported.body.result.id, op.token);
    expect(run.res.status).toBe(201);
    const items = await itemsOf(run.body.result.id, op.token);

    const about = (id: string) => items.filter((i) => i.payment_id === id).map((i) => i.kind);
    expect(about(plain.id)).toEqual(["matched"]);
    expect(about(refunded.id)).toEqual(["matched", "matched"]);
    expect(about(partial.id)).toEqual(["matched", "matched"]);
    expect(about(wrongAmount.id)).toEqual(["amount_mismatch"]);
    expect(about(wrongCurrency.id)).toEqual(["currency_mismatch"]);
    expect(about(wrongFee.id)).toEqual(["fee_mismatch"]);
    expect(about(wrongReference.id)).toEqual(["reference_mismatch"]);
    expect(about(unknown)).toEqual(["missing_in_ledger"]);
    expect(about(missingLine.id)).toEqual(["missing_in_report"]);
    expect(about(stuckAuthorized.id)).toEqual(["stuck_authorized"]);
    expect(about(stuckPending.id)).toEqual(["stuck_pending"]);
    expect(about(freshAuthorized.id)).toEqual([]);
    expect(about(freshPending.id)).toEqual([]);
    expect(items.find((i) => i.refund_id === partialRefund.id)?.kind).toBe("matched");

    // Each planted mismatch found once; every other line (other tests' payments too) matched.
    const counts = run.body.result.counts;
    for (const kind of [
      "amount_mismatch",
      "currency_mismatch",
      "fee_mismatch",
      "reference_mismatch",
      "missing_in_ledger",
      "missing_in_report",
      "stuck_authorized",
      "stuck_pending",
    ])
      expect([kind, counts[kind]]).toEqual([kind, 1]);
    expect(counts.matched).toBe(planted.length - 5);
    expect(run.body.result.exceptions).toBe(8);
    const reportLines = items.filter((i) => i.line !== null);
    expect(reportLines.map((i) => i.line)).toEqual(
      [...reportLines.map((i) => i.line)].sort((a, b) => (a ?? 0) - (b ?? 0)),
    );

    // What each says: the report's side and our books'.
    const detail = (id: string) => items.find((i) => i.payment_id === id)?.detail;
    expect(detail(wrongAmount.id)).toMatchObject({
      report: { amount: 55_500 },
      ledger: { amount: 55_000 },
      payment: { amount_captured: 55_000 },
    });
    expect(detail(wrongCurrency.id)).toMatchObject({
      report: { currency: "USD" },
      ledger: { currency: "UZS" },
    });
    expect(detail(wrongFee.id)).toMatchObject({
      report: { fee: captureFee(57_000) + 1 },
      expected_fee: captureFee(57_000),
    });
    expect(detail(wrongReference.id)).toMatchObject({
      report: { provider_reference: "sbx_not_ours" },
      payment: { provider_reference: wrongReference.provider_reference },
    });
    expect(detail(missingLine.id)).toMatchObject({
      ledger: { kind: "capture", reference: missingLine.id, amount: 59_000, currency: "UZS" },
    });

    // Exceptions: one open per finding, each item pointing at its own.
    const exceptionIds = items.filter((i) => i.kind !== "matched").map((i) => i.exception_id);
    expect(new Set(exceptionIds).size).toBe(8);
    expect(items.filter((i) => i.kind === "matched").every((i) => i.exception_id === null)).toBe(true);
    const open = await adminCall("GET", "/admin/v1/reconciliation/exceptions?status=open&limit=100", {
      token: (await approver()).token,
    });
    const openIds = open.body.result.data.map((e: { id: string }) => e.id);
    for (const id of exceptionIds) expect(openIds).toContain(id);

    // Running the same report again: a new run, the same exceptions, none added.
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM reconciliation_exceptions").first<{
      n: number;
    }>();
    const again = await startRun(imported.body.result.id, op.token);
    expect(again.body.result.id).not.toBe(run.body.result.id);
    expect(again.body.result.counts).toEqual(counts);
    const againItems = await itemsOf(again.body.result.id, op.token);
    expect(
      againItems
        .filter((i) => i.kind !== "matched")
        .map((i) => i.exception_id)
        .sort(),
    ).toEqual([...exceptionIds].sort());
    const after = await env.DB.prepare("SELECT COUNT(*) AS n FROM reconciliation_exceptions").first<{
      n: number;
    }>();
    expect(after?.n).toBe(before?.n);
    const one = await adminCall("GET", `/admin/v1/reconciliation/exceptions/${exceptionIds[0]}`, {
      token: op.token,
    });
    expect(one.body.result).toMatchObject({
      status: "open",
      first_run_id: run.body.result.id,
      last_run_id: again.body.result.id,
      resolution: null,
    });

    // The runs list and the filter by kind.
    const runs = await adminCall(
      "GET",
      `/admin/v1/reconciliation/runs?report_id=${imported.body.result.id}`,
      {
        token: op.token,
      },
    );
    expect(runs.body.result.data.map((r: { id: string }) => r.id)).toEqual([
      again.body.result.id,
      run.body.result.id,
    ]);
    const fees = await adminCall(
      "GET",
      `/admin/v1/reconciliation/runs/${run.body.result.id}/items?kind=fee_mismatch`,
      {
        token: op.token,
      },
    );
    expect(fees.body.result.data.map((i: { payment_id: string }) => i.payment_id)).toEqual([wrongFee.id]);
  });

  it("a refund line for another payment, of another amount, or unknown to us is found", async () => {
    const s = await payer();
    const paid = await s.pay({ amount: 80_000 });
    const other = await s.pay({ amount: 81_000 });
    const refund = await s.refund(paid.id, 20_000);
    const rows = rowsOf(await sandboxReport(paid.created_at.slice(0, 10))).filter(
      (r) => r.payment_id === paid.id || r.payment_id === other.id,
    );
    const refundRow = rows.find((r) => r.type === "refund");
    if (!refundRow) throw new Error("no refund line");
    const wrongPayment = { ...refundRow, payment_id: other.id };
    const unknownRefund = { ...refundRow, refund_id: crypto.randomUUID() };
    const r1 = await importCsv(csvOf([...rows.filter((r) => r !== refundRow), wrongPayment]));
    const run1 = await startRun(r1.body.result.id);
    const items1 = await itemsOf(run1.body.result.id, (await operator()).token);
    expect(items1.filter((i) => i.refund_id === refund.id).map((i) => i.kind)).toEqual([
      "reference_mismatch",
    ]);
    const bigger = { ...refundRow, amount: "25000", net: String(-25_000 - Number(refundRow.fee)) };
    const r2 = await importCsv(csvOf([...rows.filter((r) => r !== refundRow), bigger, unknownRefund]));
    const items2 = await itemsOf(
      (await startRun(r2.body.result.id)).body.result.id,
      (await operator()).token,
    );
    expect(items2.filter((i) => i.refund_id === refund.id).map((i) => i.kind)).toEqual(["amount_mismatch"]);
    expect(items2.filter((i) => i.refund_id === unknownRefund.refund_id).map((i) => i.kind)).toEqual([
      "missing_in_ledger",
    ]);
  });
});
