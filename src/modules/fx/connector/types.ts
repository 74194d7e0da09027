import type { Currency } from "../../../platform/lib/money";

/**
 * The bank's rates for one currency against its base currency, as decimal strings (never
 * floats): units of the base per one unit of `currency`. The bank buys the currency at
 * `buy` and sells it at `sell` (`buy` ≤ `sell`: the spread is the bank's).
 */
export interface CurrencyRate {
  currency: Currency;
  buy: string;
  sell: string;
}

export interface RateTable {
  /** The bank's home currency, in which every rate is expressed. */
  base: Currency;
  asOf: string;
  rates: CurrencyRate[];
}

/** The bank's treasury: where rates come from. Failures are `ApiError`s (1004, 1005, 91). */
export interface RatesSource {
  readonly name: string;
  rates(): Promise<RateTable>;
}
