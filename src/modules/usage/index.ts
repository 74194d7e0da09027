import type { Module } from "../../platform/http/module";
import { registerRequestRoutes } from "./routes/requests";
import { registerUsageRoutes } from "./routes/usage";

/** The partner's own request log (recorded after every authenticated /v1 call) and its usage against its plan. */
export const usageModule: Module = {
  name: "usage",
  register(app) {
    registerRequestRoutes(app);
    registerUsageRoutes(app);
  },
};
