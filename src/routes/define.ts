import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { ErrorEnvelopeSchema } from "../envelope";
import { auditTrail } from "../middleware/audit";
import { requireEntitlement } from "../middleware/entitlement";
import type { Product } from "../services/catalog";

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorEnvelopeSchema } },
});

/** The error answers every /v1 route can give, documented once. */
export const V1_ERROR_RESPONSES = {
  400: errorResponse("Invalid request: codes 2 (invalid JSON), 3 (unparseable field), 4 (validation)"),
  401: errorResponse("Missing, malformed, invalid or expired token (codes 10–13); see WWW-Authenticate"),
  403: errorResponse("Partner suspended (14), scope missing (20) or product not licensed (21)"),
  404: errorResponse("Unknown route (31) or an object that is not yours (30)"),
  405: errorResponse("Method not supported (5); `Allow` lists the supported methods"),
  413: errorResponse("Body over 1 MiB (32)"),
  415: errorResponse("Body is not JSON (33)"),
  429: errorResponse("Rate limit (40) or daily quota (41) reached; see Retry-After"),
  503: errorResponse("The rate limiter is unavailable and the policy is fail-closed (42)"),
} as const;

/**
 * A /v1 route: the OpenAPI description, the bearer scheme with its scope, the audit trail
 * (every write; reads too where `personalData`), and the entitlement middleware that
 * enforces the declared product and scope, in one place.
 */
export function v1Route<R extends RouteConfig>(
  access: { product: Product | null; scope: string; personalData?: boolean },
  config: R,
) {
  return createRoute({
    ...config,
    security: [{ oauth2: [access.scope] }],
    middleware: [
      auditTrail(config.method, config.path, access.personalData ?? false),
      requireEntitlement(access.product, access.scope),
    ],
    responses: { ...V1_ERROR_RESPONSES, ...config.responses },
    "x-portico-product": access.product ?? "platform",
  });
}
