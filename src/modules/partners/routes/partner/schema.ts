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
  })
  .openapi("Partner");

export type Partner = z.infer<typeof PartnerSchema>;
