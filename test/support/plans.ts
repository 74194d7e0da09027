import { forgetPartner } from "../../src/modules/admin/partners";
import { parsePlan, type RatePlan, type RatePlanInput } from "../../src/modules/billing/plan";
import { billingAccounts, ratePlans } from "../../src/modules/billing/storage";
import { db } from "./partners";

/** A plan from its written form, defaults applied. */
export function planInput(input: Partial<RatePlanInput> = {}): RatePlan {
  const parsed = parsePlan({ version: 1, currency: "UZS", period: "month", ...input });
  if (!parsed.ok) throw new Error(`test plan invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.plan;
}

/**
 * Gives a partner a billing account and a first plan version directly in D1, as a seed does (no
 * change request): for tests of what follows from a plan, not of how it is approved.
 */
export async function seedPlan(
  partnerId: string,
  input: Partial<RatePlanInput> = {},
  account: { startsOn?: string; anchor?: string | null } = {},
) {
  const startsOn = account.startsOn ?? new Date().toISOString().slice(0, 10);
  await db
    .insert(billingAccounts)
    .values({ partnerId, startsOn, anchor: account.anchor ?? null })
    .onConflictDoNothing();
  const plan = planInput(input);
  await db
    .insert(ratePlans)
    .values({ partnerId, version: plan.version, plan, effectiveFrom: startsOn })
    .onConflictDoNothing();
  await forgetPartner(db, partnerId);
  return plan;
}
