import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import { getReport, importReport, listReports, runReconciliation } from "../../reconciliation/service";
import { actorOf, json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { reconciliationDeps } from "./reconciliation-deps";
import { registerReconciliationReads } from "./reconciliation-reads";
import {
  IdParam,
  ImportReportRequest,
  query,
  RunRequest,
  RunSchema,
  SettlementReportSchema,
  TAGS,
} from "./reconciliation-schema";

const importRoute = adminRoute(
  {
    role: "operator",
    action: "reconciliation.report.import",
    errors: ["settlement_report_invalid", "settlement_report_too_large"],
  },
  {
    method: "post",
    path: "/admin/v1/reconciliation/reports",
    operationId: "adminImportSettlementReport",
    tags: TAGS,
    summary: "Import a provider's settlement report",
    description:
      "The CSV of docs/reconciliation.md in `csv`. Parsed strictly: any malformed line refuses the whole report (400, code 220, each error with its line) and nothing is stored; over the size limit is 413, code 221. The same file for the same provider and day answers the report stored the first time (200) instead of a new one (201). Audited.",
    request: json(ImportReportRequest),
    responses: {
      ...okResponse("The report, stored by this call", SettlementReportSchema, 201),
      ...okResponse("The same file, stored before", SettlementReportSchema),
    },
  },
);

const listReportsRoute = adminRoute(
  { role: "viewer", action: "reconciliation.reports.list" },
  {
    method: "get",
    path: "/admin/v1/reconciliation/reports",
    operationId: "adminListSettlementReports",
    tags: TAGS,
    summary: "List settlement reports",
    description: "Newest first, uploaded and fetched alike.",
    request: { query: z.object({ provider: query.provider, ...pageQuery }) },
    responses: { 200: pageResponse(SettlementReportSchema, "A page of settlement reports") },
  },
);

const getReportRoute = adminRoute(
  { role: "viewer", action: "reconciliation.report.read" },
  {
    method: "get",
    path: "/admin/v1/reconciliation/reports/{id}",
    operationId: "adminGetSettlementReport",
    tags: TAGS,
    summary: "A settlement report",
    request: { params: IdParam },
    responses: okResponse("The report", SettlementReportSchema),
  },
);

const runRoute = adminRoute(
  { role: "operator", action: "reconciliation.run", errors: ["not_found"] },
  {
    method: "post",
    path: "/admin/v1/reconciliation/runs",
    operationId: "adminStartReconciliationRun",
    tags: TAGS,
    summary: "Reconcile a settlement report",
    description:
      "Matches every line of the report against the ledger and the payment projection, lists the provider's movements of that day the report lacks, and the provider's stuck payments as of now. Every finding but a match is an exception; one found by an earlier run stays that one exception. Running a report again makes a new run. An unknown report is 404, code 30. Audited.",
    request: json(RunRequest),
    responses: okResponse("The run, with its counts", RunSchema, 201),
  },
);

export function registerReconciliationAdmin(t: AdminTarget) {
  serve(t, importRoute, async (c) => {
    const { csv, provider, settlement_date } = c.req.valid("json").params;
    const { report, created } = await importReport(reconciliationDeps(c), {
      csv,
      provider,
      settlementDate: settlement_date,
      source: "upload",
      createdBy: actorOf(c).identity,
    });
    c.set("adminAudit", {
      target: report.id,
      after: {
        provider: report.provider,
        settlement_date: report.settlement_date,
        line_count: report.line_count,
        sha256: report.sha256,
        created,
      },
    });
    return created ? ok(c, report, 201) : ok(c, report, 200);
  });
  serve(t, listReportsRoute, async (c) => {
    const q = c.req.valid("query");
    return ok(
      c,
      await listReports(reconciliationDeps(c), {
        ...pageOptions(q),
        ...(q.provider !== undefined ? { provider: q.provider } : {}),
      }),
    );
  });
  serve(t, getReportRoute, async (c) =>
    ok(c, await getReport(reconciliationDeps(c), c.req.valid("param").id)),
  );
  serve(t, runRoute, async (c) => {
    const { report_id } = c.req.valid("json").params;
    const run = await runReconciliation(reconciliationDeps(c), report_id, actorOf(c).identity);
    c.set("adminAudit", { target: run.id, after: { report_id, counts: run.counts } });
    return ok(c, run, 201);
  });
  registerReconciliationReads(t);
}
