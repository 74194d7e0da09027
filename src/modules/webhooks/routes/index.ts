import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../platform/types";
import { registerEndpointActions } from "./actions";
import { registerEndpointRoutes } from "./endpoints";

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>) {
  registerEndpointRoutes(app);
  registerEndpointActions(app);
}
