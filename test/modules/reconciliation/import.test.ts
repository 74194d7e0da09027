import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import reconciliationDoc from "../../../docs/reconciliation.md?raw";
import { MAX_REPORT_BYTES, parseReport } from "../../../src/modules/reconciliation/csv";
import { adminCall, expectDocumented } from "../../support/admin";
import { captureFee, HEADER, importCsv, operator } from "./support";

const count = async (table: string) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;

const line = (over: Partial<Record<string, string>> = {}) => {
  const amount = Number(over.amount ?? "10000");
  const fee = over.fee ?? String(captureFee(amount));
  const f = {
    provider: "sandbox",
    settlement_date: "2026-11-30",
    type: "capture",
    provider_reference: "sbx_1",
    payment_id: crypto.randomUUID(),
    refund_id: "",
    amount: String(amount),
    currency: "UZS",
    fee,
    net: String(amount - Number(fee)),
    ...over,
  };
  return HEADER.split(",")
    .map((c) => f[c as keyof typeof f])
    .join(",");
};

describe("importing a settlement report", () => {
  it("stores the report and its lines once: the same file again answers the same report", async () => {
    const op = await operator();
    const csv = `${HEADER}\r\n${line()}\r\n${line({ provider_reference: '"sbx,quoted ""ref"""' })}\r\n`;
    const first = await importCsv(csv, op.token);
    expect(first.res.status).toBe(201);
    expect(first.body.result).toMatchObject({
      provider: "sandbox",
      settlement_date: "2026-11-30",
      line_count: 2,
    });
    const again = await importCsv(csv, op.token);
    expect(again.res.status).toBe(200);
    expect(again.body.result.id).toBe(first.body.result.id);
    const { results } = await env.DB.prepare(
      "SELECT line, provider_reference FROM settlement_report_lines WHERE report_id = ? ORDER BY line",
    )
      .bind(first.body.result.id)
      .all();
    expect(results).toEqual([
      { line: 2, provider_reference: "sbx_1" },
      { line: 3, provider_reference: 'sbx,quoted "ref"' },
    ]);
    const raw = await env.DB.prepare("SELECT raw, sha256 FROM settlement_reports WHERE id = ?")
      .bind(first.body.result.id)
      .first<{ raw: string; sha256: string }>();
    expect(raw?.raw).toBe(csv);
    expect(raw?.sha256).toBe(first.body.result.sha256);
    const got = await adminCall("GET", `/admin/v1/reconciliation/reports/${first.body.result.id}`, {
      token: op.token,
    });
    expect(got.body.result).toEqual(first.body.result);
    const list = await adminCall("GET", "/admin/v1/reconciliation/reports?provider=sandbox&limit=100", {
      token: op.token,
    });
    expect(list.body.result.data.filter((r: { id: string }) => r.id === first.body.result.id)).toHaveLength(
      1,
    );
  });

  it("a report without lines needs its provider and day; two empty days are two reports", async () => {
    const op = await operator();
    const none = await importCsv(`${HEADER}\n`, op.token);
    expect(none.res.status).toBe(400);
    expect(none.body.error.code).toBe(220);
    const a = await importCsv(`${HEADER}\n`, op.token, {
      provider: "sandbox",
      settlement_date: "2026-10-01",
    });
    const b = await importCsv(`${HEADER}\n`, op.token, {
      provider: "sandbox",
      settlement_date: "2026-10-02",
    });
    expect([a.res.status, b.res.status]).toEqual([201, 201]);
    expect(a.body.result.id).not.toBe(b.body.result.id);
    expect(a.body.result.line_count).toBe(0);
  });

  it("refuses a malformed report whole, naming each bad line, and stores nothing", async () => {
    const op = await operator();
    const reports = await count("settlement_reports");
    const lines = await count("settlement_report_lines");
    const dup = crypto.randomUUID();
    const cases: [string, string, string[]][] = [
      ["wrong header", `provider,date\n${line()}\n`, ["line 1: the header must be"]],
      ["bad amount", `${HEADER}\n${line()}\n${line({ amount: "12.50" })}\n`, ["line 3: amount"]],
      [
        "several errors",
        `${HEADER}\n${line({ currency: "XXX" })}\n${line()}\n${line({ type: "chargeback" })}\n`,
        ["line 2: currency", "line 4: type"],
      ],
      ["net inconsistent", `${HEADER}\n${line({ net: "1" })}\n`, ["line 2: net"]],
      ["negative fee", `${HEADER}\n${line({ fee: "-1" })}\n`, ["line 2: fee"]],
      ["bad payment id", `${HEADER}\n${line({ payment_id: "pay_1" })}\n`, ["line 2: payment_id"]],
      [
        "refund without its id",
        `${HEADER}\n${line({ type: "refund", net: "-10000" })}\n`,
        ["line 2: refund_id"],
      ],
      ["two providers", `${HEADER}\n${line()}\n${line({ provider: "sandbox_b" })}\n`, ["line 3: provider"]],
      [
        "two days",
        `${HEADER}\n${line()}\n${line({ settlement_date: "2026-12-01" })}\n`,
        ["line 3: settlement_date"],
      ],
      [
        "impossible date",
        `${HEADER}\n${line({ settlement_date: "2026-02-30" })}\n`,
        ["line 2: settlement_date"],
      ],
      [
        "duplicate",
        `${HEADER}\n${line({ payment_id: dup })}\n${line({ payment_id: dup })}\n`,
        ["line 3: the same capture as line 2"],
      ],
      ["empty line", `${HEADER}\n${line()}\n\n${line()}\n`, ["line 3: an empty line"]],
      ["too few fields", `${HEADER}\nsandbox,2026-11-30,capture\n`, ["line 2: 3 fields"]],
      [
        "open quote",
        `${HEADER}\n${line({ provider_reference: '"sbx' })}\n`,
        ["line 2: a quoted field is never closed"],
      ],
      ["stray quote", `${HEADER}\n${line({ provider_reference: 'sb"x' })}\n`, ["line 2: a quote inside"]],
    ];
    for (const [name, csv, messages] of cases) {
      const r = await importCsv(csv, op.token);
      expect([name, r.res.status, r.body.error?.code]).toEqual([name, 400, 220]);
      for (const m of messages) expect(r.body.error.message, name).toContain(m);
    }
    // A line within a quoted multi-line field counts from where its record starts.
    const multi = await importCsv(
      `${HEADER}\n${line({ provider_reference: '"a\nb"' })}\n${line({ amount: "x" })}\n`,
      op.token,
    );
    expect(multi.body.error.message).toContain("line 4: amount");
    const wrongProvider = await importCsv(`${HEADER}\n${line()}\n`, op.token, { provider: "other" });
    expect(wrongProvider.body.error.message).toContain("line 2: provider: not other");
    expect(await count("settlement_reports")).toBe(reports);
    expect(await count("settlement_report_lines")).toBe(lines);
  });

  it("refuses a report over the size limit (413, 221) and a body that is no report (3, 4)", async () => {
    const op = await operator();
    const big = `${HEADER}\n${"x".repeat(MAX_REPORT_BYTES)}\n`;
    const r = await importCsv(big, op.token);
    expect([r.res.status, r.body.error.code]).toEqual([413, 221]);
    const noCsv = await adminCall("POST", "/admin/v1/reconciliation/reports", {
      token: op.token,
      json: { params: {} },
    });
    expect([noCsv.res.status, noCsv.body.error.code]).toEqual([400, 4]);
    const wrongType = await adminCall("POST", "/admin/v1/reconciliation/reports", {
      token: op.token,
      json: { params: { csv: 42 } },
    });
    expect([wrongType.res.status, wrongType.body.error.code]).toEqual([400, 3]);
    const badDate = await importCsv(`${HEADER}\n`, op.token, {
      provider: "sandbox",
      settlement_date: "yesterday",
    });
    expect([badDate.res.status, badDate.body.error.code]).toEqual([400, 4]);
    // The admin API takes JSON only: the file goes in the envelope's `csv`.
    const text = await adminCall("POST", "/admin/v1/reconciliation/reports", {
      token: op.token,
      headers: { "Content-Type": "text/csv" },
    });
    expect([text.res.status, text.body.error.code]).toEqual([415, 33]);
    await expectDocumented("adminImportSettlementReport", [
      [201],
      [200],
      [400, 220],
      [413, 221],
      [400, 4],
      [400, 3],
      [415, 33],
    ]);
  });
});

describe("docs/reconciliation.md", () => {
  it("its example report is a valid report of the format it describes", () => {
    const block = /```csv\n([\s\S]*?)```/.exec(reconciliationDoc)?.[1];
    const parsed = parseReport(block ?? "", {});
    expect(parsed.ok && parsed.report.lines.map((l) => [l.type, l.amount, l.fee, l.net])).toEqual([
      ["capture", 100_000, 1300, 98_700],
      ["refund", 30_000, 0, -30_000],
    ]);
    expect(captureFee(100_000)).toBe(1300);
  });
});
