import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { ok } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import { pageOptions, pageQuery, pageResponse } from "../../../platform/http/pagination";
import type { AppEnv } from "../../../platform/types";
import { listApplications } from "../lending";
import { APPLICATION_STATUSES } from "../model";
import { LoanApplicationSchema } from "./schema";

const Query = z.object({
  status: z
    .enum(APPLICATION_STATUSES)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
  ...pageQuery,
});

const route = v1Route(
  // Each application carries its applicant: the list is audited as a personal-data read.
  { product: "lending", scope: "lending:read", personalData: true },
  {
    method: "get",
    path: "/v1/loans/applications",
    operationId: "listLoanApplications",
    tags: ["Lending"],
    summary: "List loan applications",
    description:
      "Your applications, newest first, with their applicants (masked unless your contract licenses the data). Filter by `status` (`expired`: an approved offer past its `expires_at`); page with `starting_after` (the last id of the previous page). The scoring system is not asked from a list: an application under review is listed `in_progress` until its decision has come and was recorded, by your retrieve or by Portico's follow-up, which asks the scoring system every minute.",
    request: { query: Query },
    responses: { 200: pageResponse(LoanApplicationSchema, "A page of loan applications") },
  },
);

export function registerListLoanApplications(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const page = await listApplications(c.get("services").db, c.get("partner").id, {
      ...pageOptions(q),
      ...(q.status !== undefined ? { status: q.status } : {}),
    });
    return ok(c, page);
  });
}
