import type { Module } from "../../platform/http/module";
import { registerPlanRoutes } from "./routes/plan";

/** The partner's rate plan (docs/billing.md, plans on contracts): `GET /v1/plan`. */
export const plansModule: Module = {
  name: "plans",
  register(app) {
    registerPlanRoutes(app);
  },
};
