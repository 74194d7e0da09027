import type { Module } from "../../platform/http/module";
import { registerAlertRoutes } from "./routes/alerts";
import { registerPlanRoutes } from "./routes/plan";

/** The partner's rate plan (docs/billing.md, plans on contracts): `GET /v1/plan` and the usage alerts. */
export const plansModule: Module = {
  name: "plans",
  register(app) {
    registerPlanRoutes(app);
    registerAlertRoutes(app);
  },
};
