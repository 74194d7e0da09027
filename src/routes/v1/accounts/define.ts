import { type RouteConfig, z } from "@hono/zod-openapi";
import { ErrorEnvelopeSchema } from "../../../envelope";
import { requireConsent } from "../../../middleware/consent";
import type { ConsentScope } from "../../../services/consent-model";
import { v1Route } from "../../define";

export const ConsentHeader = z.object({
  "Consent-Id": z.string().openapi({
    param: { name: "Consent-Id", in: "header" },
    description: "One of your consents: Authorised, unexpired, covering this call's scope.",
  }),
});

const consentRefused = {
  description:
    "Partner suspended (14), scope missing (20), product not licensed (21); or no usable consent: `Consent-Id` missing or not one of yours (70), consent not Authorised or expired (71, with its status), consent not covering this call's scope (72)",
  content: { "application/json": { schema: ErrorEnvelopeSchema } },
} as const;

/**
 * An account-information route: a /v1 route (product `accounts`, scope `accounts:read`,
 * personal-data reads audited) whose consent gate runs after the entitlement check.
 */
export function consentRoute<R extends RouteConfig>(scope: ConsentScope, config: R) {
  const route = v1Route({ product: "accounts", scope: "accounts:read", personalData: true }, config);
  // Documents the consent refusals beside the platform's; the handler's typing is unchanged.
  Object.assign(route.responses, { 403: consentRefused });
  const middleware = Array.isArray(route.middleware) ? route.middleware : [];
  return Object.assign(route, { middleware: [...middleware, requireConsent(scope)] });
}
