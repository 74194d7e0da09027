import type { OpenAPIHono } from "@hono/zod-openapi";
import { ok, okResponse } from "../../../platform/envelope";
import { v1Route } from "../../../platform/http/define";
import type { AppEnv } from "../../../platform/types";
import { acceptApplication, getLoan } from "../loans";
import { lendingDeps } from "./deps";
import { AcceptLoanApplicationRequest, IdParam, LoanSchema } from "./schema";

const accept = v1Route(
  {
    product: "lending",
    scope: "lending:write",
    errors: ["application_not_found", "application_in_progress", "invalid_state_transition"],
  },
  {
    method: "post",
    path: "/v1/loans/applications/{id}/accept",
    operationId: "acceptLoanApplication",
    tags: ["Lending"],
    summary: "Accept a loan offer",
    description:
      "Accepts an approved application's offer before `offer.expires_at`: the loan is made and disbursed at once — its principal is credited to your available balance (you pay your customer) and posted to the ledger exactly once; `loan.accepted` and `loan.disbursed` follow. An offer can be accepted once: accepting again, or a declined, expired or failed application, is 409 (code 60). Unknown application 1000; still being scored 1001.",
    request: {
      params: IdParam,
      body: { required: false, content: { "application/json": { schema: AcceptLoanApplicationRequest } } },
    },
    responses: {
      ...okResponse("The loan, disbursed", LoanSchema),
    },
  },
);

const get = v1Route(
  { product: "lending", scope: "lending:read" },
  {
    method: "get",
    path: "/v1/loans/{id}",
    operationId: "getLoan",
    tags: ["Lending"],
    summary: "Retrieve a loan",
    description: "A loan made by accepting an offer.",
    request: { params: IdParam },
    responses: okResponse("The loan", LoanSchema),
  },
);

export function registerLoanRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(accept, async (c) => {
    const { id } = c.req.valid("param");
    const loan = await acceptApplication(lendingDeps(c), c.get("partner"), c.get("idempotencyKey"), id);
    c.get("log").info("loan disbursed", { application_id: id, loan_id: loan.id });
    return ok(c, loan, 200);
  });

  app.openapi(get, async (c) => {
    const { id } = c.req.valid("param");
    return ok(c, await getLoan(lendingDeps(c), c.get("partner").id, id));
  });
}
