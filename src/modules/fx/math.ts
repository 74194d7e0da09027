import { type Currency, exponentOf } from "../../platform/lib/money";
import type { CurrencyRate } from "./connector/types";

/**
 * FX arithmetic in integers only (BigInt): rates arrive and leave as decimal strings,
 * amounts are minor units. Every rounding goes the bank's way: the quoted rate is cut
 * down, the amount a partner receives is rounded down and the amount it pays rounded up.
 */

/** A quoted rate, `units / 10^scale` of the buy currency per one unit of the sell currency. */
export interface Rate {
  units: bigint;
  scale: number;
}

/** How precisely a rate is quoted: significant digits, cut (never rounded up). */
export const RATE_SIGNIFICANT_DIGITS = 10;
const MAX_SCALE = 30;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const pow10 = (n: number) => 10n ** BigInt(n);

/** A decimal string as the fraction `num / den`. */
export function parseDecimal(text: string): { num: bigint; den: bigint } {
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`not a decimal: ${text}`);
  const frac = m[2] ?? "";
  return { num: BigInt(`${m[1]}${frac}`), den: pow10(frac.length) };
}

/** `num / den` cut down to RATE_SIGNIFICANT_DIGITS significant digits. */
export function rateFromFraction(num: bigint, den: bigint): Rate {
  if (num <= 0n || den <= 0n) throw new RangeError("a rate must be positive");
  const least = pow10(RATE_SIGNIFICANT_DIGITS - 1);
  let scale = 0;
  let units = num / den;
  while (units < least && scale < MAX_SCALE) {
    scale += 1;
    units = (num * pow10(scale)) / den;
  }
  return { units, scale };
}

/** The rate as a decimal string, trailing zeros dropped: "12600", "0.00007874015748". */
export function formatRate(rate: Rate): string {
  const digits = rate.units.toString().padStart(rate.scale + 1, "0");
  if (rate.scale === 0) return digits;
  const whole = digits.slice(0, -rate.scale);
  const frac = digits.slice(-rate.scale).replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole;
}

/**
 * What the bank gives in `buy` for one unit of `sell`: it buys `sell` at its buy rate and
 * sells `buy` at its sell rate, both against the base currency (whose own rate is 1).
 */
export function crossRate(sellSide: CurrencyRate | "base", buySide: CurrencyRate | "base"): Rate {
  const one = { num: 1n, den: 1n };
  const bankBuys = sellSide === "base" ? one : parseDecimal(sellSide.buy);
  const bankSells = buySide === "base" ? one : parseDecimal(buySide.sell);
  return rateFromFraction(bankBuys.num * bankSells.den, bankBuys.den * bankSells.num);
}

/** Minor units of `buy` received for `sellAmount` minor units of `sell`, rounded down. */
export function buyAmountFor(sellAmount: number, rate: Rate, sell: Currency, buy: Currency): number {
  const num = BigInt(sellAmount) * rate.units * pow10(exponentOf(buy));
  const den = pow10(rate.scale + exponentOf(sell));
  return Number(num / den);
}

/** Minor units of `sell` paid to receive `buyAmount` minor units of `buy`, rounded up. */
export function sellAmountFor(buyAmount: number, rate: Rate, sell: Currency, buy: Currency): number {
  const num = BigInt(buyAmount) * pow10(rate.scale + exponentOf(sell));
  const den = rate.units * pow10(exponentOf(buy));
  return Number((num + den - 1n) / den);
}
