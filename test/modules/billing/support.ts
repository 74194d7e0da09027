import { parsePlan, type RatePlan, type RatePlanInput } from "../../../src/modules/billing/plan";

/** A plan from its written form, defaults applied; a test plan that does not parse fails loudly. */
export function planOf(input: Partial<RatePlanInput> = {}): RatePlan {
  const parsed = parsePlan({ version: 1, currency: "UZS", period: "month", ...input });
  if (!parsed.ok) throw new Error(`test plan invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.plan;
}

/**
 * A seeded generator of integers (a 64-bit LCG, the high bits): the same seed draws the same
 * cases on every run, so a failing case can be replayed.
 */
export function seeded(seed: number) {
  let state = BigInt(seed);
  /** An integer in [0, below). */
  return (below: number) => {
    state = (state * 6_364_136_223_846_793_005n + 1_442_695_040_888_963_407n) & 0xffff_ffff_ffff_ffffn;
    return Number((state >> 33n) % BigInt(below));
  };
}

/** The plan of docs/billing.md: every component. */
export const EXAMPLE: RatePlanInput = {
  version: 3,
  currency: "USD",
  period: "month",
  setup_fee_minor: 100_000,
  recurring_fee_minor: 31_000,
  products: {
    payments: {
      included_calls: 10_000,
      pricing: "graduated",
      tiers: [
        { up_to: 90_000, price: { minor: 1, per: 2 } },
        { up_to: 990_000, price: { minor: 1, per: 4 } },
        { up_to: null, price: { minor: 15, per: 1000 } },
      ],
    },
    kyc: {
      included_calls: 500,
      pricing: "volume",
      tiers: [
        { up_to: 1000, price: { minor: 20, per: 1 } },
        { up_to: null, price: { minor: 15, per: 1 } },
      ],
    },
  },
  minimum_commitment_minor: 50_000,
  revenue_share: { bps: 120, fixed_fee_minor: 10 },
  overage: "bill",
};
