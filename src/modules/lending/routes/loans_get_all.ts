import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { listLoans } from "../loans";
import { LoanSchema } from "./schema";

const Query = z.object({ ...pageQuery });

const route = v1Route(
  { product: "lending", scope: "lending:read" },
  {
    method: "get",
    path: "/v1/loans",
    operationId: "listLoans",
    tags: ["Lending"],
    summary: "List loans",
    description: "Your loans, newest first. Page with `starting_after` (the last id of the previous page).",
    request: { query: Query },
    responses: { 200: pageResponse(LoanSchema, "A page of loans") },
  },
);

export function registerListLoans(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    return ok(c, await listLoans(c.get("services").db, c.get("partner").id, pageOptions(q)));
  });
}
