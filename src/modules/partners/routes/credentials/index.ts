import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../../platform/types";
import { registerRevokeCredential } from "./delete";
import { registerListCredentials } from "./get_all";
import { registerCreateCredential } from "./post";

export function registerCredentialRoutes(app: OpenAPIHono<AppEnv>) {
  registerListCredentials(app);
  registerCreateCredential(app);
  registerRevokeCredential(app);
}
