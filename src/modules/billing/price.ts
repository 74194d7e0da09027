/**
 * Exact prices and the one rounding rule of billing (docs/billing.md, rounding).
 *
 * A price is a rational number of minor units: `minor` minor units per `per` units of quantity
 * (calls, days, minor units of volume, transactions). 0.015 UZS minor units a call is
 * `{ minor: 15, per: 1000 }`; a fee of 1.2 % of volume is `{ minor: 120, per: 10_000 }`. Every
 * line's amount is `quantity × minor / per`, computed exactly with BigInt and rounded once, half to
 * even, to a whole minor unit. Nothing is rounded before that, and no float is ever involved.
 */
export interface Price {
  /** Minor units (an integer; negative only on a credit line)… */
  minor: number;
  /** …per this many units of quantity (a positive integer). */
  per: number;
}

/** `num / den` rounded to the nearest integer, a tie to the even one. `den` is positive. */
export function roundHalfEven(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new RangeError("roundHalfEven takes a positive denominator");
  const floor = num >= 0n ? num / den : -((-num + den - 1n) / den);
  const twiceRest = 2n * (num - floor * den);
  if (twiceRest > den) return floor + 1n;
  if (twiceRest < den) return floor;
  return floor % 2n === 0n ? floor : floor + 1n;
}

/** A BigInt result as a JSON number, refused past 2^53 − 1 rather than silently rounded. */
export function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${value} is beyond the exact range of a JSON number`);
  }
  return Number(value);
}

/** A non-negative safe integer, or a RangeError naming what it is. */
export function count(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, not ${value}`);
  }
  return BigInt(value);
}

/**
 * `quantity × price`, exact, rounded half to even once: a line's amount in minor units. A price's
 * `minor` may be negative (a credit line); `per` is a positive integer.
 */
export function amountOf(quantity: number, price: Price): number {
  if (!Number.isSafeInteger(price.minor) || !Number.isSafeInteger(price.per) || price.per < 1) {
    throw new RangeError(`${price.minor}/${price.per} is not a price`);
  }
  return toSafeNumber(roundHalfEven(count(quantity, "a quantity") * BigInt(price.minor), BigInt(price.per)));
}
