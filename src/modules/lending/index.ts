import type { Module } from "../../platform/http/module";
import { registerLoanApplicationRoutes } from "./routes/applications";
import { registerListLoanApplications } from "./routes/applications_get_all";
import { registerLoanRoutes } from "./routes/loans";
import { registerListLoans } from "./routes/loans_get_all";

/** Lending: loan applications, offers, acceptance and disbursement, loans and repayments. */
export const lendingModule: Module = {
  name: "lending",
  register(app) {
    registerLoanApplicationRoutes(app);
    // Before `GET /v1/loans/{id}`, which would otherwise take `applications` for a loan id.
    registerListLoanApplications(app);
    registerListLoans(app);
    registerLoanRoutes(app);
  },
};
