import { type Currency, formatMinor, isCurrency } from "../../platform/lib/money";
import { dayNumber, formatDate, fromDayNumber, parseDate } from "./calendar";
import type { Price } from "./price";

/** How invoice lines say what they charge: for people, never parsed back. */

export const money = (minor: number, currency: Currency) => formatMinor(minor, currency);

/** An amount in a currency read back from a document (a string): `403.20 USD`, or the minor units when unknown. */
export const moneyOf = (minor: number, currency: string) =>
  isCurrency(currency) ? money(minor, currency) : `${minor} ${currency}`;

/** `0.50 UZS a call`, `0.15 UZS per 1000 calls`. */
export const perCall = (price: Price, currency: Currency) =>
  price.per === 1
    ? `${money(price.minor, currency)} a call`
    : `${money(price.minor, currency)} per ${price.per} calls`;

/** Basis points as a percentage, in integers: 120 → `1.20 %`. */
export const percent = (bps: number) => `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, "0")} %`;

/** The inclusive last day of a span whose `end` is exclusive, for people. */
export const lastDay = (end: string) => formatDate(fromDayNumber(dayNumber(parseDate(end)) - 1));

/** `calls 1–1000`, `calls 1001 and over`. */
export const callRange = (from: number, to: number | null) =>
  to === null ? `calls ${from} and over` : `calls ${from}–${to}`;
