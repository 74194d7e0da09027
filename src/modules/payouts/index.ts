import type { Module } from "../../platform/http/module";
import { payoutObjectName } from "./payouts";
import { registerGetPayout } from "./routes/get";
import { registerListPayouts } from "./routes/get_all";
import { registerCreatePayout } from "./routes/post";
import { registerSimulatePayout } from "./routes/simulate";

/** Payouts: money out of the partner's balance to a destination, settled by the payout rails. */
export const payoutsModule: Module = {
  name: "payouts",
  register(app) {
    registerCreatePayout(app);
    registerGetPayout(app);
    registerListPayouts(app);
    registerSimulatePayout(app);
  },
  // A payout's object keeps the Idempotency-Key of the request that creates it.
  ownKeys: [
    {
      path: "/v1/payouts",
      store: (env, { environment, partnerId, key }) =>
        env.PAYOUTS.get(env.PAYOUTS.idFromName(payoutObjectName(environment, partnerId, key))),
    },
  ],
};
