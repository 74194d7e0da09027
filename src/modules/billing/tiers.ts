import type { Tier } from "./plan";
import { amountOf, count, type Price, toSafeNumber } from "./price";

/**
 * Tiered per-call prices over the calls past the included ones (docs/billing.md, tiers). Bands are
 * counted from the first billable call: with 1,000 included, the band `up_to: 100` holds calls
 * 1,001–1,100 of the period.
 *
 * - `graduated`: each band's calls at that band's price, one charge per band reached;
 * - `volume`: every call at the price of the band the quantity ends in, one charge.
 */
export type Pricing = "graduated" | "volume";

export interface TierCharge {
  /** The band's position in the plan, from 0. */
  tier: number;
  /** The band's first and last billable call (`null`: open-ended); for `volume`, the band reached. */
  from: number;
  to: number | null;
  /** Calls charged at this band's price. */
  quantity: number;
  price: Price;
  /** `quantity × price`, rounded half to even once. */
  amount: number;
}

/** The billable calls past the included ones: never negative. */
export const billableCalls = (used: number, included = 0) =>
  Math.max(0, Number(count(used, "calls used")) - Number(count(included, "included calls")));

const charge = (tiers: readonly Tier[], i: number, quantity: number): TierCharge => {
  const tier = tiers[i] as Tier;
  const from = (tiers[i - 1]?.up_to ?? 0) + 1;
  return {
    tier: i,
    from,
    to: tier.up_to,
    quantity,
    price: tier.price,
    amount: amountOf(quantity, tier.price),
  };
};

/** The charges for `quantity` billable calls over a plan's bands (validated: ascending, last open). */
export function priceTiers(pricing: Pricing, tiers: readonly Tier[], quantity: number): TierCharge[] {
  count(quantity, "a quantity");
  if (tiers.at(-1)?.up_to !== null) throw new RangeError("the last tier must be open-ended");
  if (quantity === 0) return [];
  if (pricing === "volume") {
    const reached = tiers.findIndex((t) => t.up_to === null || quantity <= t.up_to);
    return [charge(tiers, reached, quantity)];
  }
  const charges: TierCharge[] = [];
  let below = 0;
  for (const [i, tier] of tiers.entries()) {
    const top = tier.up_to === null ? quantity : Math.min(quantity, tier.up_to);
    if (top > below) charges.push(charge(tiers, i, top - below));
    if (tier.up_to === null || quantity <= tier.up_to) break;
    below = tier.up_to;
  }
  return charges;
}

/** The sum of the charges: what the calls cost, in minor units. */
export const tiersTotal = (charges: readonly TierCharge[]) =>
  toSafeNumber(charges.reduce((sum, c) => sum + BigInt(c.amount), 0n));
