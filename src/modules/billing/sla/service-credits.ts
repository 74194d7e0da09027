import type { Db } from "../../../platform/db/client";
import type { Credit } from "../credits";
import { amountOf, count } from "../price";
import { evaluateSla } from "./evaluate";
import { measureSla } from "./measure";
import { dayBefore } from "./report";
import { slaOf, type Tier } from "./targets";

/** Basis points as a percentage with two decimals: 9949 → "99.49 %". */
export const bpsText = (bps: number) => `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, "0")} %`;

/**
 * The service credits a billing period earns (docs/sla.md, credits), for the invoice close to
 * apply as credit lines: the period's own days [start, end) (`YYYY-MM-DD`, end exclusive, as
 * BillingPeriod has them) are measured from the request log and held against the tier's targets;
 * `measured` (ISO instants, `to` exclusive) replaces those days when the invoice counts other real
 * time, as a sandbox whose test clock moved does (docs/invoices.md).
 * Each missed target earns its basis points of `recurringFeeMinor` (the period's recurring fee as
 * invoiced, prorated or not), exact and rounded half to even once (price.ts). A credit that
 * rounds to nothing, a tier without an SLA and a period without calls earn none.
 */
export async function serviceCredits(
  db: Db,
  partnerId: string,
  tier: Tier,
  period: { start: string; end: string },
  recurringFeeMinor: number,
  measured = { from: `${period.start}T00:00:00.000Z`, to: `${period.end}T00:00:00.000Z` },
): Promise<Credit[]> {
  count(recurringFeeMinor, "the recurring fee");
  const targets = slaOf(tier);
  if (targets === null || recurringFeeMinor === 0) return [];
  const m = await measureSla(db, partnerId, measured.from, measured.to);
  const verdict = evaluateSla(targets, m);
  const span = `${period.start} to ${dayBefore(period.end)}`;
  const credits: Credit[] = [];
  const add = (bps: number, description: string) => {
    const amount = amountOf(recurringFeeMinor, { minor: bps, per: 10_000 });
    if (amount > 0) credits.push({ description, amount_minor: amount });
  };
  if (verdict.availability.status === "missed" && m.availability_bps !== null)
    add(
      verdict.availability.credit_bps,
      `Service credit ${bpsText(verdict.availability.credit_bps)}: availability ${bpsText(m.availability_bps)} below the ${bpsText(targets.availability_bps)} target, ${span}`,
    );
  if (verdict.p95_latency.status === "missed" && m.p95_latency_ms !== null)
    add(
      verdict.p95_latency.credit_bps,
      `Service credit ${bpsText(verdict.p95_latency.credit_bps)}: p95 latency ${m.p95_latency_ms} ms above the ${targets.p95_latency_ms} ms target, ${span}`,
    );
  return credits;
}
