import { z } from "@hono/zod-openapi";
import { CURRENCIES } from "../../../platform/lib/money";
import { ROUTABLE_METHODS } from "../../routing/model";

const Provider = z.string().min(1).max(40).openapi({ example: "sandbox_b" });
const Bin = z
  .string()
  .regex(/^\d{6}$/, "six digits")
  .openapi({ example: "400000" });

const Conditions = z
  .object({
    bin_range: z.object({ from: Bin, to: Bin }).strict().optional().openapi({
      description: "Inclusive range of the card's first six digits; a payment without a card never matches.",
    }),
    card_countries: z
      .array(z.string().regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2"))
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "The card's issuing country; a card of unknown country never matches." }),
    currencies: z.array(z.enum(CURRENCIES)).min(1).optional(),
    amount: z
      .object({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
      .strict()
      .optional()
      .openapi({ description: "Inclusive band of the amount in minor units." }),
    methods: z.array(z.enum(ROUTABLE_METHODS)).min(1).optional(),
  })
  .strict()
  .openapi("RoutingConditions", {
    description: "Every condition given must hold; an absent one always holds.",
  });

const Target = z
  .union([
    z.object({ provider: Provider }).strict(),
    z
      .object({
        split: z
          .array(z.object({ provider: Provider, percent: z.number().int().min(1).max(100) }).strict())
          .min(2)
          .max(10),
      })
      .strict(),
    z.object({ priority: z.array(Provider).min(1).max(10) }).strict(),
  ])
  .openapi("RoutingTarget", {
    description:
      "`provider`: that one only, no fallback. `split`: percentages adding up to 100; the payment's id picks the first provider (the same payment always picks the same), the others follow as fallbacks. `priority`: in order, falling back on a retryable failure.",
  });

export const RoutingRuleSchema = z
  .object({ name: z.string().min(1).max(80).optional(), conditions: Conditions, target: Target })
  .strict()
  .openapi("RoutingRule");

export const RoutingSchema = z
  .object({
    object: z.literal("routing"),
    partner_id: z.string().openapi({ format: "uuid" }),
    rules: z
      .array(RoutingRuleSchema)
      .openapi({ description: "In order: the first rule whose conditions hold decides." }),
    default_priority: z
      .array(z.string())
      .nullable()
      .openapi({ description: "The partner's order when no rule matches; null: `environment_default`." }),
    environment_default: z.array(z.string()),
    available_providers: z.array(z.string()),
    version: z.number().int().openapi({ description: "Counts the changes; 0 before the first." }),
    updated_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("Routing");

export const MAX_RULES = 50;
