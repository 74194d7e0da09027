import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { registerLoanApplicationRoutes } from "./applications";
import { registerListLoanApplications } from "./applications_get_all";
import { registerLoanRoutes } from "./loans";
import { registerListLoans } from "./loans_get_all";

export function registerLendingRoutes(app: OpenAPIHono<AppEnv>) {
  registerLoanApplicationRoutes(app);
  // Before `GET /v1/loans/{id}`, which would otherwise take `applications` for a loan id.
  registerListLoanApplications(app);
  registerListLoans(app);
  registerLoanRoutes(app);
}
