import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog } from "../../../src/modules/admin/storage";
import { reconciliationExceptions } from "../../../src/modules/reconciliation/storage";
import { admin, adminCall, expectDocumented } from "../../support/admin";
import { db } from "../../support/partners";
import {
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

/** An open exception: a capture line with a wrong fee. */
async function openException() {
  const s = await payer();
  const paid = await s.pay({ amount: 91_000 });
  const rows = rowsOf(await sandboxReport(paid.created_at.slice(0, 10))).filter(
    (r) => r.payment_id === paid.id,
  );
  for (const r of rows) {
    r.fee = String(captureFee(91_000) + 7);
    r.net = String(91_000 - captureFee(91_000) - 7);
  }
  const report = await importCsv(csvOf(rows));
  const run = await startRun(report.body.result.id);
  const items = await itemsOf(run.body.result.id, (await operator()).token);
  const item = items.find((i) => i.payment_id === paid.id);
  if (!item?.exception_id) throw new Error("no exception");
  return {
    id: item.exception_id,
    reportId: report.body.result.id,
    runId: run.body.result.id,
    paymentId: paid.id,
  };
}

const resolve = (
  id: string,
  token: string,
  params: unknown = { reason: "provider_error", note: "asked the acquirer to correct its fee" },
) => adminCall("POST", `/admin/v1/reconciliation/exceptions/${id}/resolve`, { token, json: { params } });

describe("reconciliation exceptions", () => {
  it("an approver resolves an open exception with a reason: kept on it, audited, and it stays resolved", async () => {
    const e = await openException();
    const who = await approver();
    const r = await resolve(e.id, who.token);
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      id: e.id,
      kind: "fee_mismatch",
      status: "resolved",
      payment_id: e.paymentId,
      resolution: {
        reason: "provider_error",
        note: "asked the acquirer to correct its fee",
        resolved_by: who.email,
      },
    });
    const [row] = await db
      .select()
      .from(reconciliationExceptions)
      .where(eq(reconciliationExceptions.id, e.id));
    expect(row).toMatchObject({
      status: "resolved",
      resolutionReason: "provider_error",
      resolvedBy: who.email,
    });
    const audit = await db.select().from(adminAuditLog).where(eq(adminAuditLog.target, e.id));
    expect(audit.map((a) => [a.action, a.identity, a.outcome, a.reason])).toEqual([
      [
        "reconciliation.exception.resolve",
        who.email,
        200,
        "provider_error: asked the acquirer to correct its fee",
      ],
    ]);
    expect(audit[0]?.diff).toMatchObject({ before: { status: "open" }, after: { status: "resolved" } });

    // Twice is 409, 222; nothing changes.
    const twice = await resolve(e.id, who.token, { reason: "timing", note: "again" });
    expect([twice.res.status, twice.body.error.code]).toEqual([409, 222]);
    // A later run finding the same thing again leaves it resolved.
    const rerun = await startRun(e.reportId);
    const items = await itemsOf(rerun.body.result.id, who.token);
    expect(items.find((i) => i.payment_id === e.paymentId)?.exception_id).toBe(e.id);
    const after = await adminCall("GET", `/admin/v1/reconciliation/exceptions/${e.id}`, { token: who.token });
    expect(after.body.result).toMatchObject({ status: "resolved", resolution: { reason: "provider_error" } });
    const open = await adminCall(
      "GET",
      "/admin/v1/reconciliation/exceptions?status=open&kind=fee_mismatch&limit=100",
      {
        token: who.token,
      },
    );
    expect(open.body.result.data.map((x: { id: string }) => x.id)).not.toContain(e.id);
    const resolved = await adminCall(
      "GET",
      "/admin/v1/reconciliation/exceptions?status=resolved&provider=sandbox&limit=100",
      {
        token: who.token,
      },
    );
    expect(resolved.body.result.data.map((x: { id: string }) => x.id)).toContain(e.id);
    await expectDocumented("adminResolveReconciliationException", [
      [200],
      [409, 222],
      [404, 30],
      [400, 4],
      [403, 104],
    ]);
  });

  it("refuses a reason off the list, a missing note, an unknown exception; operators cannot resolve", async () => {
    const e = await openException();
    const who = await approver();
    const bad = await resolve(e.id, who.token, { reason: "because", note: "no such reason" });
    expect([bad.res.status, bad.body.error.code]).toEqual([400, 4]);
    const noNote = await resolve(e.id, who.token, { reason: "timing" });
    expect([noNote.res.status, noNote.body.error.code]).toEqual([400, 4]);
    const unknown = await resolve(crypto.randomUUID(), who.token);
    expect([unknown.res.status, unknown.body.error.code]).toEqual([404, 30]);
    const notUuid = await resolve("nope", who.token);
    expect([notUuid.res.status, notUuid.body.error.code]).toEqual([400, 4]);
    const op = await resolve(e.id, (await operator()).token);
    expect([op.res.status, op.body.error.code]).toEqual([403, 104]);
    const [row] = await db
      .select()
      .from(reconciliationExceptions)
      .where(eq(reconciliationExceptions.id, e.id));
    expect(row?.status).toBe("open");
    const audit = await db.select().from(adminAuditLog).where(eq(adminAuditLog.target, e.id));
    expect(audit.map((a) => a.outcome).sort()).toEqual([400, 400, 403]);
  });

  it("unknown reports, runs and exceptions are 404 (30); a run of an unknown report changes nothing", async () => {
    const { token } = await operator();
    for (const path of ["reports", "runs", "exceptions"]) {
      const r = await adminCall("GET", `/admin/v1/reconciliation/${path}/${crypto.randomUUID()}`, { token });
      expect([path, r.res.status, r.body.error.code]).toEqual([path, 404, 30]);
    }
    const items = await adminCall("GET", `/admin/v1/reconciliation/runs/${crypto.randomUUID()}/items`, {
      token,
    });
    expect([items.res.status, items.body.error.code]).toEqual([404, 30]);
    const run = await startRun(crypto.randomUUID(), token);
    expect([run.res.status, run.body.error.code]).toEqual([404, 30]);
    const badKind = await adminCall("GET", "/admin/v1/reconciliation/exceptions?kind=matched", { token });
    expect([badKind.res.status, badKind.body.error.code]).toEqual([400, 4]);
    await expectDocumented("adminStartReconciliationRun", [[201], [404, 30], [400, 4]]);
  });
});

/** Every reconciliation route: Access first, then the role; wrong methods 405. */
const ROUTES: [string, string, "viewer" | "operator" | "approver"][] = [
  ["POST", "/admin/v1/reconciliation/reports", "operator"],
  ["GET", "/admin/v1/reconciliation/reports", "viewer"],
  ["GET", "/admin/v1/reconciliation/reports/{id}", "viewer"],
  ["POST", "/admin/v1/reconciliation/runs", "operator"],
  ["GET", "/admin/v1/reconciliation/runs", "viewer"],
  ["GET", "/admin/v1/reconciliation/runs/{id}", "viewer"],
  ["GET", "/admin/v1/reconciliation/runs/{id}/items", "viewer"],
  ["GET", "/admin/v1/reconciliation/exceptions", "viewer"],
  ["GET", "/admin/v1/reconciliation/exceptions/{id}", "viewer"],
  ["POST", "/admin/v1/reconciliation/exceptions/{id}/resolve", "approver"],
];
const BELOW = { viewer: null, operator: "viewer", approver: "operator" } as const;

describe("security: the reconciliation routes", () => {
  for (const [method, template, role] of ROUTES) {
    it(`${method} ${template}: 100 without Access, 103 without a role, 104 below ${role}`, async () => {
      const path = template.replace("{id}", crypto.randomUUID());
      const json = method === "POST" ? { params: { report_id: crypto.randomUUID() } } : undefined;
      const none = await adminCall(method, path, { json });
      expect([none.res.status, none.body.error.code]).toEqual([401, 100]);
      const forged = await adminCall(method, path, { token: "not.a.jwt", json });
      expect([forged.res.status, forged.body.error.code]).toEqual([401, 101]);
      const nobody = await adminCall(method, path, { token: (await admin(null)).token, json });
      expect([nobody.res.status, nobody.body.error.code]).toEqual([403, 103]);
      const below = BELOW[role];
      if (below !== null) {
        const low = await adminCall(method, path, { token: (await admin(below)).token, json });
        expect([low.res.status, low.body.error.code]).toEqual([403, 104]);
      }
      const wrong = await adminCall(method === "GET" ? "DELETE" : "PUT", path, {
        token: (await admin("admin")).token,
      });
      expect([wrong.res.status, wrong.body.error.code]).toEqual([405, 5]);
    });
  }
});
