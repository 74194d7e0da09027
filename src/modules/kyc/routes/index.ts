import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { registerGetVerification } from "./get";
import { registerListVerifications } from "./get_all";
import { registerVerifyHolder } from "./post";

export function registerKycRoutes(app: OpenAPIHono<AppEnv>) {
  registerVerifyHolder(app);
  registerGetVerification(app);
  registerListVerifications(app);
}
