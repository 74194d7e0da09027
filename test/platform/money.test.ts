import { describe, expect, it } from "vitest";
import {
  basisPoints,
  exponentOf,
  formatMinor,
  isCurrency,
  MAX_AMOUNT_MINOR,
} from "../../src/platform/lib/money";

describe("money", () => {
  it("knows ISO 4217 exponents", () => {
    expect([exponentOf("JPY"), exponentOf("UZS"), exponentOf("KWD"), exponentOf("CLF")]).toEqual([
      0, 2, 3, 4,
    ]);
    expect(isCurrency("USD")).toBe(true);
    expect(isCurrency("usd")).toBe(false);
    expect(isCurrency("XXX")).toBe(false);
    expect(isCurrency("toString")).toBe(false);
  });

  it("formats minor units for people", () => {
    expect(formatMinor(123450, "USD")).toBe("1234.50 USD");
    expect(formatMinor(5, "KWD")).toBe("0.005 KWD");
    expect(formatMinor(1500, "JPY")).toBe("1500 JPY");
    expect(formatMinor(-7, "EUR")).toBe("-0.07 EUR");
  });

  it("computes fees in integers, half up", () => {
    expect(basisPoints(10_000, 150)).toBe(150);
    expect(basisPoints(333, 150)).toBe(5); // 4.995 → 5
    expect(basisPoints(1, 150)).toBe(0);
    expect(basisPoints(99_999_999_999, 299)).toBe(2_990_000_000); // 2 989 999 999.97
    // The product passes 2^53 here; the answer must still be exact.
    expect(basisPoints(MAX_AMOUNT_MINOR - 1, 9_999)).toBe(99_989_999_999_999);
    expect(() => basisPoints(1.5, 100)).toThrow(RangeError);
  });
});
