import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../types";
import { registerGetPayout } from "./get";
import { registerCreatePayout } from "./post";

export function registerPayoutRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreatePayout(app);
  registerGetPayout(app);
}
