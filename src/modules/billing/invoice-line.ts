import type { Product } from "../../platform/catalog";
import { amountOf, type Price } from "./price";

/** One line of an invoice: what it charges, how much of it, at what exact price, for how much. */

export const LINE_KINDS = [
  "setup_fee",
  "recurring_fee",
  "included_calls",
  "usage",
  "revenue_share",
  "transaction_fee",
  "minimum_commitment",
  "credit",
] as const;
export type LineKind = (typeof LINE_KINDS)[number];

export interface InvoiceLine {
  kind: LineKind;
  description: string;
  /** For `included_calls` and `usage`. */
  product?: Product;
  /** For `usage`: the band's position in the plan, from 0. */
  tier?: number;
  quantity: number;
  /** Exact: `minor` minor units per `per` units of quantity; negative for a credit. */
  unit_price: Price;
  /** Minor units: `quantity × unit_price` rounded half to even; negative for a credit. */
  amount: number;
}

/** A line whose amount is `quantity × unit_price`, rounded half to even once. */
export const line = (
  kind: LineKind,
  description: string,
  quantity: number,
  unit_price: Price,
  extra: Pick<InvoiceLine, "product" | "tier"> = {},
): InvoiceLine => ({
  kind,
  description,
  ...extra,
  quantity,
  unit_price,
  amount: amountOf(quantity, unit_price),
});

export const sumLines = (lines: readonly InvoiceLine[]) => lines.reduce((s, l) => s + BigInt(l.amount), 0n);
