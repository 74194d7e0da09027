import { PRODUCTS } from "../../platform/catalog";
import { type InvoiceLine, line } from "./invoice-line";
import type { PeriodUsage } from "./period-usage";
import type { RatePlan } from "./plan";
import { count } from "./price";
import { billableCalls, priceTiers } from "./tiers";
import { callRange, perCall } from "./wording";

/**
 * Each product's lines: the included calls used (at 0), then the calls past them at the plan's
 * tiers. A product the plan does not name is not charged; one without tiers charges nothing past
 * its included calls.
 */
export function callLines(plan: RatePlan, calls: PeriodUsage["calls"] = {}): InvoiceLine[] {
  const lines: InvoiceLine[] = [];
  const c = plan.currency;
  for (const product of PRODUCTS) {
    const terms = plan.products[product];
    const used = Number(count(calls[product] ?? 0, `calls of ${product}`));
    if (!terms || used === 0) continue;
    const included = terms.included_calls ?? 0;
    if (included > 0) {
      const n = Math.min(used, included);
      lines.push(
        line(
          "included_calls",
          `${product}: ${n} of ${included} included calls`,
          n,
          { minor: 0, per: 1 },
          { product },
        ),
      );
    }
    if (!terms.tiers) continue;
    for (const t of priceTiers(terms.pricing, terms.tiers, billableCalls(used, included))) {
      const band = callRange(t.from, t.to);
      const what = terms.pricing === "volume" ? `all ${t.quantity} calls (volume, ${band})` : band;
      const description = `${product}: ${what} past the included, at ${perCall(t.price, c)}`;
      lines.push(line("usage", description, t.quantity, t.price, { product, tier: t.tier }));
    }
  }
  return lines;
}
