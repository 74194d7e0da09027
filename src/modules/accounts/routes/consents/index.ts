import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../../platform/types";
import { registerGetConsent } from "./get";
import { registerListConsents } from "./get_all";
import { registerCreateConsent } from "./post";
import { registerRevokeConsent } from "./revoke";
import { registerConsentSandboxRoutes } from "./sandbox";

export function registerConsentRoutes(app: OpenAPIHono<AppEnv>) {
  registerCreateConsent(app);
  registerGetConsent(app);
  registerListConsents(app);
  registerRevokeConsent(app);
  registerConsentSandboxRoutes(app);
}
