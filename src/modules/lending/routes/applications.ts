import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { applyForLoan, getApplication } from "../lending";
import { lendingDeps } from "./deps";
import { CreateLoanApplicationRequest, IdParam, LoanApplicationSchema } from "./schema";

const create = v1Route(
  {
    product: "lending",
    scope: "lending:write",
    personalData: true,
    errors: [
      "scoring_overdue_loans",
      "scoring_elevated_risk",
      "upstream_unavailable",
      "upstream_empty",
      "upstream_failed",
    ],
  },
  {
    method: "post",
    path: "/v1/loans/applications",
    operationId: "createLoanApplication",
    tags: ["Lending"],
    summary: "Apply for micro-credit",
    description:
      "Scores the applicant with the bank's scoring system. Approved: the application with its offer (`amount` at most what was asked, `annual_rate_bps`, `term_months`, `monthly_payment`, `expires_at`). Declined by scoring: the bank's error 1002 (overdue loans) or 1003 (elevated risk), HTTP 422; the application is kept as `declined` and a `loan_application.declined` event carries its id. Referred to an underwriter: `in_progress` (read it until it is decided). The scoring system unreachable: 1004, 1005 or 91; a retry under the same Idempotency-Key scores the same application again.",
    request: {
      body: { required: true, content: { "application/json": { schema: CreateLoanApplicationRequest } } },
    },
    responses: {
      ...okResponse("The application, approved or in progress", LoanApplicationSchema),
    },
  },
);

const get = v1Route(
  {
    product: "lending",
    scope: "lending:read",
    personalData: true,
    errors: ["application_not_found", "application_in_progress"],
  },
  {
    method: "get",
    path: "/v1/loans/applications/{id}",
    operationId: "getLoanApplication",
    tags: ["Lending"],
    summary: "Retrieve a loan application",
    description:
      "The application and its decision (`approved`, `expired`, `declined`, `accepted`, `failed`). Unknown, or another partner's: 404, code 1000. Still being scored: 409, code 1001 — ask again later.",
    request: { params: IdParam },
    responses: {
      ...okResponse("The application", LoanApplicationSchema),
    },
  },
);

export function registerLoanApplicationRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(create, async (c) => {
    const { params } = c.req.valid("json");
    const application = await applyForLoan(lendingDeps(c), c.get("partner"), c.get("idempotencyKey"), params);
    c.get("log").info("loan application scored", {
      application_id: application.id,
      status: application.status,
    });
    return ok(c, application, 200);
  });

  app.openapi(get, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await getApplication(lendingDeps(c), c.get("partner").id, id), 200);
  });
}
