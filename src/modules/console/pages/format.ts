import { isCurrency } from "../../../platform/lib/money";
import { money } from "../../billing/wording";

/** A time as the console's tables show it: UTC, to the minute (`2026-12-10 08:15`). */
export const minute = (iso: string) => iso.slice(0, 16).replace("T", " ");

/** A time to the second, for logs. */
export const second = (iso: string) => iso.slice(0, 19).replace("T", " ");

/** Minor units as the console shows money (`310.00 USD`); a code it does not know, as it came. */
export const amount = (minor: number, currency: string) =>
  isCurrency(currency) ? money(minor, currency) : `${minor} ${currency}`;
