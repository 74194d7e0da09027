import type { Module } from "../../platform/http/module";
import { registerClockRoutes } from "./invoicing/routes/clock";
import { registerInvoiceRoutes } from "./invoicing/routes/invoices";
import { registerAlertRoutes } from "./routes/alerts";
import { registerPlanRoutes } from "./routes/plan";
import { registerSlaRoutes } from "./sla/routes";

/**
 * Billing as the partner sees it (docs/billing.md): the rate plan in force (`GET /v1/plan`),
 * usage alerts, the service levels (`GET /v1/sla`), invoices and credit notes with their PDFs,
 * and the sandbox's test clock (docs/invoices.md). The platform team's billing routes live in
 * the admin module.
 */
export const billingModule: Module = {
  name: "billing",
  register(app) {
    registerPlanRoutes(app);
    registerAlertRoutes(app);
    registerSlaRoutes(app);
    registerInvoiceRoutes(app);
    registerClockRoutes(app);
  },
};
