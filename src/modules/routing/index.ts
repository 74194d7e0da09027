import type { Module } from "../../platform/http/module";
import { registerGetRouting } from "./routes/get";

/**
 * Payment routing (docs/orchestration.md): each partner's rules choosing the acquirer of a
 * payment, read here by the partner and set through the admin API. The payment's object applies
 * them (src/modules/payments/orchestration).
 */
export const routingModule: Module = {
  name: "routing",
  register(app) {
    registerGetRouting(app);
  },
};
