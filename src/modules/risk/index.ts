import type { Module } from "../../platform/http/module";
import { registerListRoutes } from "./routes/lists";
import { registerReviewRoutes } from "./routes/reviews";
import { registerRuleRoutes } from "./routes/rules";

/** Risk: the rules engine before every authorization, its lists and settings, the review queue. */
export const riskModule: Module = {
  name: "risk",
  register(app) {
    registerRuleRoutes(app);
    registerListRoutes(app);
    registerReviewRoutes(app);
  },
};
