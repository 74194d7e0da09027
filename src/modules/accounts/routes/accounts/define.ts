import { type RouteConfig, z } from "@hono/zod-openapi";
import { v1Route } from "../../../../platform/http/define";
import { requireConsent } from "../../consent-gate";
import type { ConsentScope } from "../../model";

export const ConsentHeader = z.object({
  "Consent-Id": z
    .string()
    .optional()
    .openapi({
      // A parameter-level example: the code samples send it (the default sample's token is your own).
      param: { name: "Consent-Id", in: "header", example: "0b6f6b8e-3f5e-4f0a-9d3a-6f1c2b7e9a10" },
      description:
        "One of your consents: Authorised, unexpired, covering this call's scope. Required with a token of your own (client_credentials); optional with a token of the consent flow, which reads its own consent (if sent, it must name that consent: 270).",
      example: "0b6f6b8e-3f5e-4f0a-9d3a-6f1c2b7e9a10",
    }),
});

/**
 * An account-information route: a /v1 route (product `accounts`, scope `accounts:read`,
 * personal-data reads audited) whose consent gate runs after the entitlement check.
 */
export function consentRoute<R extends RouteConfig & { operationId: string }>(
  scope: ConsentScope,
  config: R,
) {
  const route = v1Route(
    {
      product: "accounts",
      scope: "accounts:read",
      personalData: true,
      errors: [
        "consent_required",
        "consent_not_usable",
        "consent_scope_missing",
        "consent_token_mismatch",
        "upstream_unavailable",
        "upstream_empty",
        "upstream_failed",
      ],
    },
    config,
  );
  const middleware = Array.isArray(route.middleware) ? route.middleware : [];
  return Object.assign(route, { middleware: [...middleware, requireConsent(scope)] });
}
