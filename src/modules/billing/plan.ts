import { z } from "zod";
import { PRODUCTS } from "../../platform/catalog";
import { CURRENCIES, MAX_AMOUNT_MINOR } from "../../platform/lib/money";

/**
 * A rate plan (docs/billing.md, rate plans): what a partner pays, each component optional. Money
 * is in integer minor units of the plan's currency; a per-call price is an exact rational
 * (`price.ts`). Unknown members are refused, so a misspelt component is an error, not a free plan.
 */

const minor = z.int().min(0).max(MAX_AMOUNT_MINOR);
const calls = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

/** `minor` minor units per `per` calls: `{ minor: 15, per: 1000 }` is 0.015 minor units a call. */
export const PriceSchema = z.strictObject({
  minor,
  per: z.int().min(1).max(1_000_000_000),
});

/** A band of calls: up to and including `up_to` (counted after the included calls); `null` is open. */
export const TierSchema = z.strictObject({
  up_to: z.int().min(1).max(Number.MAX_SAFE_INTEGER).nullable(),
  price: PriceSchema,
});

/**
 * Bands in order. Each starts where the one before ends, so there are no gaps or overlaps to make;
 * what is checked is that the bounds ascend strictly and that only the last is open-ended.
 */
export const TiersSchema = z
  .array(TierSchema)
  .min(1)
  .max(20)
  .superRefine((tiers, ctx) => {
    tiers.forEach((tier, i) => {
      const last = i === tiers.length - 1;
      if (last && tier.up_to !== null) {
        ctx.addIssue({
          code: "custom",
          path: [i, "up_to"],
          message: "the last tier must be open-ended (null)",
        });
      }
      if (!last && tier.up_to === null) {
        ctx.addIssue({ code: "custom", path: [i, "up_to"], message: "only the last tier may be open-ended" });
      }
      const before = tiers[i - 1]?.up_to;
      if (tier.up_to !== null && typeof before === "number" && tier.up_to <= before) {
        ctx.addIssue({
          code: "custom",
          path: [i, "up_to"],
          message: `tiers must ascend: ${tier.up_to} is not above ${before}`,
        });
      }
    });
  });

/** One product's terms: calls included in the period, then tiered prices for the calls beyond. */
export const ProductTermsSchema = z
  .strictObject({
    included_calls: calls.optional(),
    /** `graduated`: each band's calls at its own price; `volume`: every call at the band the total reaches. */
    pricing: z.enum(["graduated", "volume"]).default("graduated"),
    tiers: TiersSchema.optional(),
  })
  .refine((t) => t.included_calls !== undefined || t.tiers !== undefined, {
    message: "a product's terms need included_calls, tiers or both",
  });

export const RevenueShareSchema = z.strictObject({
  /** Of captured volume net of refunds, in basis points (1 bp = 0.01 %). */
  bps: z.int().min(0).max(10_000),
  /** Per captured transaction, in minor units: the contract's `fee_fixed_minor`. */
  fixed_fee_minor: minor.optional(),
});

export const RatePlanSchema = z.strictObject({
  /** Increases with every change; an invoice names the version it was priced with. */
  version: z.int().min(1).max(1_000_000),
  currency: z.enum(CURRENCIES),
  /** The billing period: the recurring fee, included calls and the commitment are per period. */
  period: z.enum(["month", "year"]),
  /** Charged once, on the first period's invoice. */
  setup_fee_minor: minor.optional(),
  /** Per period, the first prorated by day. */
  recurring_fee_minor: minor.optional(),
  products: z.partialRecord(z.enum(PRODUCTS), ProductTermsSchema).default({}),
  /** The least the usage charges of a period come to; a shortfall is billed as a true-up line. */
  minimum_commitment_minor: minor.optional(),
  revenue_share: RevenueShareSchema.optional(),
  /** Past a product's included calls: `bill` at its tiers, or `block` the call. */
  overage: z.enum(["bill", "block"]).default("bill"),
});

export type Tier = z.infer<typeof TierSchema>;
export type ProductTerms = z.infer<typeof ProductTermsSchema>;
export type RatePlan = z.infer<typeof RatePlanSchema>;
/** A plan as written (defaults not yet applied): what an admin sends. */
export type RatePlanInput = z.input<typeof RatePlanSchema>;

export interface PlanIssue {
  /** The offending member, dot-separated as validation errors name fields: `products.kyc.tiers.1.up_to`. */
  path: string;
  message: string;
}

export type PlanResult = { ok: true; plan: RatePlan } | { ok: false; issues: PlanIssue[] };

/**
 * Checks a plan, answering it with its defaults, or every problem with the path of its member:
 * one issue a member (the first), an unknown member named by its own path.
 */
export function parsePlan(input: unknown): PlanResult {
  const parsed = RatePlanSchema.safeParse(input);
  if (parsed.success) return { ok: true, plan: parsed.data };
  const issues = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    for (const key of keys) {
      const path = [...issue.path, ...(key === undefined ? [] : [key])].map(String).join(".");
      if (!issues.has(path))
        issues.set(path, key === undefined ? issue.message : "not a member of a rate plan");
    }
  }
  return { ok: false, issues: [...issues].map(([path, message]) => ({ path, message })) };
}
