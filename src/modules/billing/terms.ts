import { eq } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { partnerContracts } from "../partners/storage";
import type { BillingPeriod, BillingSchedule } from "./period";
import type { RatePlan } from "./plan";
import type { Tier } from "./sla/targets";
import { findBillingAccount, planVersions } from "./storage";

/**
 * A partner's billing terms as stored (migration 0035): its schedule, tax, settlement and every
 * version of its plan. What closing a period reads; the plan's `period` is the schedule's interval.
 */
export interface BillingTerms {
  partnerId: string;
  schedule: BillingSchedule;
  taxBps: number;
  settlement: "invoice" | "balance";
  /** The contract's tier, whose SLA targets earn service credits (docs/sla.md). */
  tier: Tier;
  /** Oldest first; never empty. */
  versions: PlanVersion[];
}

export interface PlanVersion {
  version: number;
  plan: RatePlan;
  /** `YYYY-MM-DD`: the start of the first period it prices. */
  effectiveFrom: string;
}

/** The partner's billing terms; undefined when it has no billing account or no plan. */
export async function billingTermsOf(db: Db, partnerId: string): Promise<BillingTerms | undefined> {
  const [account, rows, [contract]] = await Promise.all([
    findBillingAccount(db, partnerId),
    planVersions(db, partnerId),
    db
      .select({ tier: partnerContracts.tier })
      .from(partnerContracts)
      .where(eq(partnerContracts.partnerId, partnerId)),
  ]);
  if (!account || rows.length === 0 || !contract) return undefined;
  const versions = rows.map((r) => ({ version: r.version, plan: r.plan, effectiveFrom: r.effectiveFrom }));
  const latest = versions[versions.length - 1] as PlanVersion;
  return {
    partnerId,
    schedule: {
      interval: latest.plan.period,
      starts_on: account.startsOn,
      ...(account.anchor ? { anchor: account.anchor } : {}),
    },
    taxBps: account.taxBps,
    settlement: account.settlement,
    tier: contract.tier,
    versions,
  };
}

/**
 * The version that prices a period: the latest whose `effectiveFrom` is on or before the period's
 * start; the first version for a period before every `effectiveFrom`.
 */
export function planFor(
  terms: Pick<BillingTerms, "versions">,
  period: Pick<BillingPeriod, "start">,
): PlanVersion {
  let chosen = terms.versions[0] as PlanVersion;
  for (const v of terms.versions) if (v.effectiveFrom <= period.start) chosen = v;
  return chosen;
}
