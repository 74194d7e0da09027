import { env } from "cloudflare:workers";
import { until } from "../../support/webhooks";

/** A metered_usage row as D1 holds it. */
export interface MeteredRow {
  hour: string;
  product: string;
  operation: string;
  outcome: string;
  calls: number;
}

/** Every metered_usage row of a partner, in a stable order. */
export async function meteredOf(partnerId: string): Promise<MeteredRow[]> {
  const r = await env.DB.prepare(
    "SELECT hour, product, operation, outcome, calls FROM metered_usage WHERE partner_id = ? ORDER BY product, operation, outcome, hour",
  )
    .bind(partnerId)
    .all<MeteredRow>();
  return r.results;
}

/** The partner's calls per `operation/outcome`, summed over hours. */
export async function callsOf(partnerId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const row of await meteredOf(partnerId)) {
    const k = `${row.operation}/${row.outcome}`;
    out[k] = (out[k] ?? 0) + row.calls;
  }
  return out;
}

/** Waits until the queue consumer has counted `total` calls of the partner (the real queue). */
export async function meteredTotal(partnerId: string, total: number): Promise<Record<string, number>> {
  return until(async () => {
    const calls = await callsOf(partnerId);
    return Object.values(calls).reduce((a, b) => a + b, 0) === total ? calls : undefined;
  });
}
