import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../types";
import { registerLoanApplicationRoutes } from "./applications";
import { registerLoanRoutes } from "./loans";

export function registerLendingRoutes(app: OpenAPIHono<AppEnv>) {
  registerLoanApplicationRoutes(app);
  registerLoanRoutes(app);
}
