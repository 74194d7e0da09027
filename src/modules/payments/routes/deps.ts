import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import type { PaymentDeps } from "../payments";

/** What the payment services need for this request: the payments' objects, not the whole environment. */
export const paymentDeps = (c: Context<AppEnv>): PaymentDeps => ({
  db: c.var.services.db,
  config: c.var.services.config,
  payments: c.env.PAYMENTS,
});
