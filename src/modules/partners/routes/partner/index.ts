import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../../platform/types";
import { registerGetPartner } from "./get";

export function registerPartnerRoutes(app: OpenAPIHono<AppEnv>) {
  registerGetPartner(app);
}
