import type { CurrencyRate, RatesSource, RateTable } from "./types";

/**
 * The sandbox rates table (UZS per one unit; the bank buys at `buy`, sells at `sell`).
 * Fixed, so quotes in the sandbox are reproducible; JPY (exponent 0) and KWD (exponent 3)
 * are there to exercise minor-unit exponents.
 */
export const SANDBOX_FX_RATES: readonly CurrencyRate[] = [
  { currency: "USD", buy: "12600.00", sell: "12700.00" },
  { currency: "EUR", buy: "13650.00", sell: "13800.00" },
  { currency: "GBP", buy: "15900.00", sell: "16100.00" },
  { currency: "RUB", buy: "138.00", sell: "145.00" },
  { currency: "KZT", buy: "24.50", sell: "26.00" },
  { currency: "JPY", buy: "83.00", sell: "86.00" },
  { currency: "KWD", buy: "40900.00", sell: "41500.00" },
];

export class SandboxRates implements RatesSource {
  readonly name = "sandbox";

  async rates(): Promise<RateTable> {
    return { base: "UZS", asOf: new Date().toISOString(), rates: [...SANDBOX_FX_RATES] };
  }
}
