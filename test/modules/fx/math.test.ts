import { describe, expect, it } from "vitest";
import { SANDBOX_FX_RATES } from "../../../src/modules/fx/connector/sandbox";
import type { CurrencyRate } from "../../../src/modules/fx/connector/types";
import {
  buyAmountFor,
  crossRate,
  formatRate,
  parseDecimal,
  rateFromFraction,
  sellAmountFor,
} from "../../../src/modules/fx/math";

const rate = (c: string): CurrencyRate => {
  const found = SANDBOX_FX_RATES.find((r) => r.currency === c);
  if (!found) throw new Error(c);
  return found;
};

describe("FX arithmetic", () => {
  it("parses decimal strings exactly", () => {
    expect(parseDecimal("12600.50")).toEqual({ num: 1_260_050n, den: 100n });
    expect(parseDecimal("7")).toEqual({ num: 7n, den: 1n });
    expect(() => parseDecimal("1e3")).toThrow(RangeError);
    expect(() => parseDecimal("-1")).toThrow(RangeError);
  });

  it("quotes rates to 10 significant digits, cut down, as decimal strings", () => {
    expect(formatRate(rateFromFraction(12_600n, 1n))).toBe("12600");
    expect(formatRate(rateFromFraction(1n, 12_700n))).toBe("0.00007874015748");
    expect(formatRate(rateFromFraction(2n, 3n))).toBe("0.6666666666");
    expect(formatRate(rateFromFraction(1n, 4n))).toBe("0.25");
  });

  it("crosses through the base: the bank buys the sold currency and sells the bought one", () => {
    expect(formatRate(crossRate(rate("USD"), "base"))).toBe("12600");
    expect(formatRate(crossRate("base", rate("USD")))).toBe("0.00007874015748");
    // 12600 / 13800
    expect(formatRate(crossRate(rate("USD"), rate("EUR")))).toBe("0.9130434782");
    // A round trip always loses the spread: never an arbitrage.
    for (const a of SANDBOX_FX_RATES) {
      for (const b of SANDBOX_FX_RATES) {
        if (a === b) continue;
        const there = crossRate(a, b);
        const back = crossRate(b, a);
        const product = Number(formatRate(there)) * Number(formatRate(back));
        expect(product).toBeLessThan(1);
      }
    }
  });

  it("selling a fixed amount rounds what is received down, across exponents", () => {
    // 100.00 USD → UZS at 12600: 1 260 000.00 UZS.
    expect(buyAmountFor(10_000, crossRate(rate("USD"), "base"), "USD", "UZS")).toBe(126_000_000);
    // 1 000 000.00 UZS → JPY (exponent 0) at 1/86: 11627.90… → 11627 JPY.
    expect(buyAmountFor(100_000_000, crossRate("base", rate("JPY")), "UZS", "JPY")).toBe(11_627);
    // 1000 JPY → KWD (exponent 3) at 83/41500 = 0.002: 2.000 KWD.
    expect(buyAmountFor(1_000, crossRate(rate("JPY"), rate("KWD")), "JPY", "KWD")).toBe(2_000);
  });

  it("buying a fixed amount rounds what is paid up", () => {
    // 100.00 USD for UZS at 0.00007874015748: 1 270 000.0016… → 1 270 000.01 UZS.
    const r = crossRate("base", rate("USD"));
    expect(sellAmountFor(10_000, r, "UZS", "USD")).toBe(127_000_001);
    // What is paid always buys at least what was asked.
    for (const buy of [1, 7, 9_999, 10_000, 123_456_789]) {
      const paid = sellAmountFor(buy, r, "UZS", "USD");
      expect(buyAmountFor(paid, r, "UZS", "USD")).toBeGreaterThanOrEqual(buy);
      expect(buyAmountFor(paid - 1, r, "UZS", "USD")).toBeLessThan(buy);
    }
  });
});
