import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { registerGetPayout } from "./get";
import { registerListPayouts } from "./get_all";
import { registerCreatePayout } from "./post";

export function registerPayoutRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreatePayout(app);
  registerGetPayout(app);
  registerListPayouts(app);
}
