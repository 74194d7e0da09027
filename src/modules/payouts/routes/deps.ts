import type { Context } from "hono";
import type { AppEnv } from "../../../platform/types";
import type { PayoutDeps } from "../payouts";

/** What the payout services need for this request: the payouts' objects, not the whole environment. */
export const payoutDeps = (c: Context<AppEnv>): PayoutDeps => ({
  db: c.get("services").db,
  config: c.get("services").config,
  payouts: c.env.PAYOUTS,
});
