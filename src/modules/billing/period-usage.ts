import type { Product } from "../../platform/catalog";

/** What a partner used in a billing period: what its invoice is computed from. */
export interface PeriodUsage {
  /** Billable calls of the period per product, the included ones among them. */
  calls?: Partial<Record<Product, number>>;
  /** Captured payment volume and refunds of the period, in the plan's currency's minor units. */
  captured_minor?: number;
  refunded_minor?: number;
  /** Captured transactions: what the fixed fee per transaction applies to. */
  transactions?: number;
}
