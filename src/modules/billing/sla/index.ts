import type { Module } from "../../../platform/http/module";
import { registerSlaRoutes } from "./routes";

/** Service levels per tier (docs/sla.md): GET /v1/sla. The admin route is in admin/routes/sla.ts. */
export const slaModule: Module = {
  name: "sla",
  register(app) {
    registerSlaRoutes(app);
  },
};
