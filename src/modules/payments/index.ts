import type { Module } from "../../platform/http/module";
import { paymentObjectName } from "./payments";
import { registerGetPayment } from "./routes/get";
import { registerListPayments } from "./routes/get_all";
import { registerPaymentOperations } from "./routes/operations";
import { registerCreatePayment } from "./routes/post";
import { registerRefundRoutes } from "./routes/refunds";
import { registerSimulatePayment } from "./routes/simulate";
import { registerSandboxPages } from "./sandbox-pages";

/** Payments: card, 3-D Secure, A2A and QR; capture, cancel, refunds; the sandbox's customer pages. */
export const paymentsModule: Module = {
  name: "payments",
  register(app) {
    registerSandboxPages(app);
    registerCreatePayment(app);
    registerGetPayment(app);
    registerListPayments(app);
    registerPaymentOperations(app);
    registerRefundRoutes(app);
    registerSimulatePayment(app);
  },
  // A payment's object keeps the Idempotency-Key of the request that creates it.
  ownKeys: [
    {
      path: "/v1/payments",
      store: (env, { environment, partnerId, key }) =>
        env.PAYMENTS.get(env.PAYMENTS.idFromName(paymentObjectName(environment, partnerId, key))),
    },
  ],
};
