/**
 * ISO 4217 minor-unit exponents. Amounts are always integers in the minor unit; the
 * exponent says where the decimal point is (JPY 0, UZS 2, KWD 3). No floats near money.
 */
export const CURRENCY_EXPONENTS = {
  AED: 2,
  ARS: 2,
  AUD: 2,
  AZN: 2,
  BGN: 2,
  BHD: 3,
  BIF: 0,
  BRL: 2,
  BYN: 2,
  CAD: 2,
  CHF: 2,
  CLF: 4,
  CLP: 0,
  CNY: 2,
  COP: 2,
  CZK: 2,
  DJF: 0,
  DKK: 2,
  EGP: 2,
  EUR: 2,
  GBP: 2,
  GEL: 2,
  GNF: 0,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  IQD: 3,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KES: 2,
  KGS: 2,
  KMF: 0,
  KRW: 0,
  KWD: 3,
  KZT: 2,
  LYD: 3,
  MXN: 2,
  MYR: 2,
  NGN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PHP: 2,
  PKR: 2,
  PLN: 2,
  PYG: 0,
  QAR: 2,
  RON: 2,
  RSD: 2,
  RUB: 2,
  RWF: 0,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TJS: 2,
  TMT: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  UAH: 2,
  UGX: 0,
  USD: 2,
  UYU: 2,
  UZS: 2,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  ZAR: 2,
} as const satisfies Record<string, number>;

export type Currency = keyof typeof CURRENCY_EXPONENTS;
export const CURRENCIES = Object.keys(CURRENCY_EXPONENTS) as [Currency, ...Currency[]];

export const isCurrency = (code: string): code is Currency => Object.hasOwn(CURRENCY_EXPONENTS, code);
export const exponentOf = (currency: Currency): number => CURRENCY_EXPONENTS[currency];

/** The largest amount Portico moves in one operation: well inside exact integer range. */
export const MAX_AMOUNT_MINOR = 100_000_000_000_000;

/** Formats minor units for people (logs, docs), never for arithmetic: "1234.50 USD". */
export function formatMinor(amount: number, currency: Currency): string {
  const exp = exponentOf(currency);
  const sign = amount < 0 ? "-" : "";
  const digits = String(Math.abs(amount)).padStart(exp + 1, "0");
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  return exp === 0 ? `${sign}${whole} ${currency}` : `${sign}${whole}.${digits.slice(-exp)} ${currency}`;
}

/** `amount × bps / 10 000`, rounded half up, in integers only (BigInt: the product can pass 2^53). */
export function basisPoints(amount: number, bps: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0 || !Number.isSafeInteger(bps) || bps < 0) {
    throw new RangeError("basisPoints takes non-negative integers");
  }
  return Number((BigInt(amount) * BigInt(bps) + 5_000n) / 10_000n);
}
