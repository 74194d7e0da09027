import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { registerGetPayment } from "./get";
import { registerListPayments } from "./get_all";
import { registerPaymentOperations } from "./operations";
import { registerCreatePayment } from "./post";
import { registerRefundRoutes } from "./refunds";

export function registerPaymentRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreatePayment(app);
  registerGetPayment(app);
  registerListPayments(app);
  registerPaymentOperations(app);
  registerRefundRoutes(app);
}
