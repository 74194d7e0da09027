import type { OpenAPIHono } from "@hono/zod-openapi";
import { PRODUCTS, type Product } from "../../../../platform/catalog";
import { ok, okResponse } from "../../../../platform/envelope";
import { v1Route } from "../../../../platform/http/define";
import type { AppEnv } from "../../../../platform/types";
import { type Partner, PartnerSchema } from "./schema";

const route = v1Route(
  { product: null, scope: "partner:read" },
  {
    method: "get",
    path: "/v1/partner",
    operationId: "getPartner",
    tags: ["Partner"],
    summary: "Your own profile",
    description:
      "The calling partner's profile: environment, tier, licensed products, scopes, limits, the browser origins allowed CORS, the addresses allowed to call and the production webhook domains.",
    responses: okResponse("The partner", PartnerSchema),
  },
);

export function registerGetPartner(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, (c) => {
    const p = c.get("partner");
    const result: Partner = {
      id: p.id,
      object: "partner",
      name: p.name,
      environment: p.environment,
      livemode: p.environment === "production",
      status: p.status,
      tier: p.tier,
      products: p.products.filter((x): x is Product => (PRODUCTS as readonly string[]).includes(x)),
      scopes: p.scopes,
      token_scopes: [...c.get("caller").scopes],
      limits: { requests_per_second: p.limits.requestsPerSecond, daily_quota: p.limits.dailyQuota },
      cors_origins: p.corsOrigins,
      ip_allowlist: p.ipAllowlist,
      webhook_domains: p.webhookDomains,
      api_version: p.apiVersion,
      security_profile: p.securityProfile,
      password_grant: p.passwordGrant,
    };
    return ok(c, result);
  });
}
