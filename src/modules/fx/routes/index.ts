import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { registerFxConversions } from "./conversions";
import { registerListConversions } from "./conversions_get_all";
import { registerFxQuotes } from "./quotes";
import { registerFxRates } from "./rates";

export function registerFxRoutes(app: OpenAPIHono<AppEnv>) {
  registerFxRates(app);
  registerFxQuotes(app);
  registerFxConversions(app);
  registerListConversions(app);
}
