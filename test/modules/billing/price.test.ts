import { describe, expect, it } from "vitest";
import { amountOf, roundHalfEven, toSafeNumber } from "../../../src/modules/billing/price";
import { basisPoints } from "../../../src/platform/lib/money";

describe("the rounding rule: exact, then half to even once", () => {
  it("rounds a tie to the even neighbour and everything else to the nearest", () => {
    const cases: [bigint, bigint, bigint][] = [
      [5n, 10n, 0n],
      [15n, 10n, 2n],
      [25n, 10n, 2n],
      [35n, 10n, 4n],
      [45n, 10n, 4n],
      [7n, 3n, 2n],
      [8n, 3n, 3n],
      [49_999n, 10_000n, 5n],
      [50_001n, 100_000n, 1n],
      [12n, 4n, 3n],
      [0n, 7n, 0n],
    ];
    for (const [num, den, rounded] of cases) expect(roundHalfEven(num, den), `${num}/${den}`).toBe(rounded);
  });

  it("is symmetric about zero (credits round like charges)", () => {
    expect(roundHalfEven(-5n, 10n)).toBe(0n);
    expect(roundHalfEven(-15n, 10n)).toBe(-2n);
    expect(roundHalfEven(-25n, 10n)).toBe(-2n);
    expect(roundHalfEven(-7n, 3n)).toBe(-2n);
    expect(roundHalfEven(-8n, 3n)).toBe(-3n);
  });

  it("refuses a denominator that is not positive", () => {
    expect(() => roundHalfEven(1n, 0n)).toThrow(RangeError);
    expect(() => roundHalfEven(1n, -2n)).toThrow(RangeError);
  });

  it("differs from the capture fee's half up only on ties", () => {
    // The ledger's fee on a capture (docs/ledger.md) rounds half up; a billing line half to even.
    expect(basisPoints(250, 100)).toBe(3);
    expect(amountOf(250, { minor: 100, per: 10_000 })).toBe(2);
    expect(basisPoints(350, 100)).toBe(amountOf(350, { minor: 100, per: 10_000 }));
    expect(basisPoints(333, 150)).toBe(amountOf(333, { minor: 150, per: 10_000 }));
  });
});

describe("a line's amount: quantity × price", () => {
  it("prices fractions of a minor unit a call exactly, rounding the line once", () => {
    const price = { minor: 1, per: 1000 }; // 0.001 minor units a call
    expect(amountOf(1_000_000, price)).toBe(1000);
    expect(amountOf(333, price)).toBe(0);
    expect(amountOf(500, price)).toBe(0); // 0.5
    expect(amountOf(1500, price)).toBe(2); // 1.5
    expect(amountOf(2500, price)).toBe(2); // 2.5
    expect(amountOf(2501, price)).toBe(3);
  });

  it("sums many tiny prices exactly: a million calls at 7 millionths are 7, not 0", () => {
    const price = { minor: 7, per: 1_000_000 };
    expect(amountOf(1, price)).toBe(0); // rounded call by call, they would come to nothing
    expect(amountOf(1_000_000, price)).toBe(7);
    expect(amountOf(999_999, price)).toBe(7); // 6.999993
    expect(amountOf(3_500_000, price)).toBe(24); // 24.5, to even
    expect(amountOf(3_642_857, price)).toBe(25); // 25.499999: a hair under the tie
    expect(amountOf(3_785_715, price)).toBe(27); // 26.500005: a hair over
  });

  it("stays exact where quantity × price passes 2^53", () => {
    // 9e15 × 3 = 2.7e16 > 2^53 ≈ 9.007e15: a float product would lose the last digits.
    expect(amountOf(9_000_000_000_000_001, { minor: 3, per: 1000 })).toBe(27_000_000_000_000);
    expect(amountOf(Number.MAX_SAFE_INTEGER, { minor: 1, per: 1_000_000_000 })).toBe(9_007_199);
  });

  it("refuses what it cannot answer exactly", () => {
    expect(() => amountOf(Number.MAX_SAFE_INTEGER, { minor: 2, per: 1 })).toThrow(RangeError);
    expect(() => amountOf(1.5, { minor: 1, per: 1 })).toThrow(RangeError);
    expect(() => amountOf(-1, { minor: 1, per: 1 })).toThrow(RangeError);
    expect(() => amountOf(1, { minor: 0.5, per: 1 })).toThrow(RangeError);
    expect(() => amountOf(1, { minor: 1, per: 0 })).toThrow(RangeError);
    expect(() => toSafeNumber(2n ** 53n)).toThrow(RangeError);
    expect(toSafeNumber(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("allows a negative price: a credit line", () => {
    expect(amountOf(1, { minor: -4200, per: 1 })).toBe(-4200);
  });
});
