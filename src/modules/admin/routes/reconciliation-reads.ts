import { z } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import {
  getException,
  getRun,
  listExceptions,
  listItems,
  listRuns,
  resolveException,
} from "../../reconciliation/service";
import { actorOf, json } from "./actor";
import { type AdminTarget, adminRoute, serve } from "./define";
import { reconciliationDeps } from "./reconciliation-deps";
import {
  ExceptionSchema,
  IdParam,
  ItemSchema,
  query,
  ResolveRequest,
  RunSchema,
  TAGS,
} from "./reconciliation-schema";

const listRunsRoute = adminRoute(
  { role: "viewer", action: "reconciliation.runs.list" },
  {
    method: "get",
    path: "/admin/v1/reconciliation/runs",
    operationId: "adminListReconciliationRuns",
    tags: TAGS,
    summary: "List reconciliation runs",
    description: "Newest first, with their counts; `report_id` narrows to one report's runs.",
    request: { query: z.object({ report_id: query.report_id, ...pageQuery }) },
    responses: { 200: pageResponse(RunSchema, "A page of runs") },
  },
);

const getRunRoute = adminRoute(
  { role: "viewer", action: "reconciliation.run.read" },
  {
    method: "get",
    path: "/admin/v1/reconciliation/runs/{id}",
    operationId: "adminGetReconciliationRun",
    tags: TAGS,
    summary: "A reconciliation run and its counts",
    request: { params: IdParam },
    responses: okResponse("The run", RunSchema),
  },
);

const itemsRoute = adminRoute(
  { role: "viewer", action: "reconciliation.run.items" },
  {
    method: "get",
    path: "/admin/v1/reconciliation/runs/{id}/items",
    operationId: "adminListReconciliationItems",
    tags: TAGS,
    summary: "What a run found",
    description:
      "In the order the run found them: the report's lines first (by line), then what only our books have, then the stuck payments. `kind` narrows to one kind.",
    request: { params: IdParam, query: z.object({ kind: query.item_kind, ...pageQuery }) },
    responses: { 200: pageResponse(ItemSchema, "A page of the run's items") },
  },
);

const listExceptionsRoute = adminRoute(
  { role: "viewer", action: "reconciliation.exceptions.list" },
  {
    method: "get",
    path: "/admin/v1/reconciliation/exceptions",
    operationId: "adminListReconciliationExceptions",
    tags: TAGS,
    summary: "List reconciliation exceptions",
    description: "Newest first; `status=open` is the work queue.",
    request: {
      query: z.object({
        status: query.status,
        kind: query.exception_kind,
        provider: query.provider,
        ...pageQuery,
      }),
    },
    responses: { 200: pageResponse(ExceptionSchema, "A page of exceptions") },
  },
);

const getExceptionRoute = adminRoute(
  { role: "viewer", action: "reconciliation.exception.read" },
  {
    method: "get",
    path: "/admin/v1/reconciliation/exceptions/{id}",
    operationId: "adminGetReconciliationException",
    tags: TAGS,
    summary: "A reconciliation exception",
    request: { params: IdParam },
    responses: okResponse("The exception", ExceptionSchema),
  },
);

const resolveRoute = adminRoute(
  {
    role: "approver",
    action: "reconciliation.exception.resolve",
    errors: ["reconciliation_exception_resolved"],
  },
  {
    method: "post",
    path: "/admin/v1/reconciliation/exceptions/{id}/resolve",
    operationId: "adminResolveReconciliationException",
    tags: TAGS,
    summary: "Resolve an exception",
    description:
      "Closes an open exception with a reason from the list and a note; who and when are kept on it and in the audit log. An exception resolved already is 409, code 222. Later runs that find the same thing again leave it resolved.",
    request: { params: IdParam, ...json(ResolveRequest) },
    responses: okResponse("The exception, resolved", ExceptionSchema),
  },
);

export function registerReconciliationReads(t: AdminTarget) {
  serve(t, listRunsRoute, async (c) => {
    const q = c.req.valid("query");
    return ok(
      c,
      await listRuns(reconciliationDeps(c), {
        ...pageOptions(q),
        ...(q.report_id !== undefined ? { reportId: q.report_id } : {}),
      }),
    );
  });
  serve(t, getRunRoute, async (c) => ok(c, await getRun(reconciliationDeps(c), c.req.valid("param").id)));
  serve(t, itemsRoute, async (c) => {
    const q = c.req.valid("query");
    return ok(
      c,
      await listItems(reconciliationDeps(c), c.req.valid("param").id, {
        ...pageOptions(q),
        ...(q.kind !== undefined ? { kind: q.kind } : {}),
      }),
    );
  });
  serve(t, listExceptionsRoute, async (c) => {
    const q = c.req.valid("query");
    return ok(
      c,
      await listExceptions(reconciliationDeps(c), {
        ...pageOptions(q),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.kind !== undefined ? { kind: q.kind } : {}),
        ...(q.provider !== undefined ? { provider: q.provider } : {}),
      }),
    );
  });
  serve(t, getExceptionRoute, async (c) =>
    ok(c, await getException(reconciliationDeps(c), c.req.valid("param").id)),
  );
  serve(t, resolveRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { reason, note } = c.req.valid("json").params;
    const { before, after } = await resolveException(reconciliationDeps(c), id, {
      reason,
      note,
      by: actorOf(c).identity,
    });
    c.set("adminAudit", {
      target: id,
      before: { status: before.status },
      after: { status: after.status, resolution: after.resolution },
      reason: `${reason}: ${note}`,
    });
    return ok(c, after);
  });
}
