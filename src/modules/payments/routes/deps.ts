import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import type { PaymentDeps } from "../payments";

/** What the payment services need for this request: the payments' objects, not the whole environment. */
export const paymentDeps = (c: Context<AppEnv>): PaymentDeps => ({
  db: c.get("services").db,
  config: c.get("services").config,
  payments: c.env.PAYMENTS,
});
