import { z } from "@hono/zod-openapi";
import { PRODUCTS } from "../../../../platform/catalog";

export const PartnerSchema = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    object: z.literal("partner"),
    name: z.string(),
    environment: z.enum(["sandbox", "production"]),
    livemode: z.boolean(),
    status: z.enum(["active", "suspended", "offboarded"]),
    tier: z.enum(["sandbox", "standard", "enterprise"]),
    products: z.array(z.enum(PRODUCTS)),
    scopes: z.array(z.string()).openapi({ description: "Scopes the contract grants." }),
    token_scopes: z.array(z.string()).openapi({ description: "Scopes of the token used for this call." }),
    limits: z.object({
      requests_per_second: z.number().int(),
      daily_quota: z.number().int().nullable(),
    }),
    cors_origins: z.array(z.string()).openapi({
      description:
        "Browser origins (`https://host[:port]`) your contract lets call the API with your tokens (CORS); empty: none.",
      example: ["https://app.example.com"],
    }),
    ip_allowlist: z.array(z.string()).openapi({
      description:
        "IPv4 and IPv6 CIDR blocks your contract lets call `/oauth2/token` and `/v1` from (`CF-Connecting-IP`); empty: any address. A call from elsewhere is refused with 403, code 23.",
      example: ["192.0.2.0/24", "2001:db8:1::/48"],
    }),
    webhook_domains: z.array(z.string()).openapi({
      description:
        "Host names, or `*.suffix` wildcards (any host below the suffix), your production webhook endpoints may use; empty: any public host. Not applied in the sandbox.",
      example: ["hooks.example.com", "*.example.net"],
    }),
    api_version: z.string().openapi({
      description:
        "The API version your account is pinned to: what every call speaks unless it sends `Portico-Version` (see /changelog).",
      example: "2026-12-01",
    }),
    security_profile: z.enum(["standard", "fapi"]).openapi({
      description:
        "How your clients authenticate (docs: client authentication): `standard`, the bank's contract (client secret, or private_key_jwt / tls_client_auth where registered); `fapi`, FAPI 2.0: private_key_jwt or tls_client_auth only, never a client secret nor the password grant.",
    }),
    password_grant: z.boolean().openapi({
      description:
        "Whether your contract keeps the `password` grant (the bank's contract); never under `fapi`.",
    }),
  })
  .openapi("Partner");

export type Partner = z.infer<typeof PartnerSchema>;
