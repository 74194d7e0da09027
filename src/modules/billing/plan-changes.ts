import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { ApiError } from "../../platform/errors";
import { partners } from "../partners/storage";
import { isDate } from "./calendar";
import { type BillingSchedule, firstPeriod, nextPeriod, periodContaining } from "./period";
import { parsePlan, type RatePlan } from "./plan";
import {
  type BillingAccountRow,
  billingAccounts,
  findBillingAccount,
  planVersions,
  ratePlans,
} from "./storage";

/**
 * Plan changes (docs/billing.md, plans on contracts): what a `rate_plan` change request carries,
 * checked when it is proposed, and the statements that write its version once it is approved.
 * A plan changes what a partner pays, so it is never written without a second approver.
 */

export type Effective = "next_period" | "immediate";

/** The billing account members sent with the first plan. */
export interface AccountInput {
  starts_on?: string | undefined;
  anchor?: string | null | undefined;
  tax_bps?: number | undefined;
  settlement?: "invoice" | "balance" | undefined;
}

/** A `rate_plan` change request's `change`: the plan with its defaults, when it applies, a new account. */
export interface PlanChange {
  plan: RatePlan;
  effective: Effective;
  /** Only with the first plan: the account it opens. */
  account?: { starts_on: string; anchor: string | null; tax_bps: number; settlement: "invoice" | "balance" };
}

const invalid = (field: string, msg: string) =>
  new ApiError("validation", { field: `params.${field}`, msg }, { field: `params.${field}` });

/** `plan.version` is not the next version: someone changed the plan since the caller read it. */
export const staleVersion = (sent: number, expected: number) =>
  new ApiError("plan_version_stale", { version: sent, expected });

/**
 * Checks a proposed plan against the partner's versions: valid (every problem at once, each with
 * its path), the next version number, the same period and currency as the first version (the
 * periods already billed and the invoices' currency cannot move), and account members only with
 * the first plan. Answers the change and its `before`.
 */
export async function checkPlanChange(
  db: Db,
  partnerId: string,
  input: { plan: unknown; effective: Effective; account: AccountInput | undefined },
  today: string,
): Promise<{ change: PlanChange; before: Record<string, unknown> }> {
  const parsed = parsePlan(input.plan);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    const all = parsed.issues.map((i) => `${i.path || "plan"}: ${i.message}`).join("; ");
    throw invalid(first?.path ? `plan.${first.path}` : "plan", all);
  }
  const plan = parsed.plan;
  const [versions, account] = await Promise.all([
    planVersions(db, partnerId),
    findBillingAccount(db, partnerId),
  ]);
  const latest = versions[versions.length - 1];
  const expected = (latest?.version ?? 0) + 1;
  if (plan.version !== expected) throw staleVersion(plan.version, expected);
  if (latest) {
    if (plan.period !== latest.plan.period)
      throw invalid("plan.period", `the period is ${latest.plan.period} for every version of a plan`);
    if (plan.currency !== latest.plan.currency)
      throw invalid("plan.currency", `the currency is ${latest.plan.currency} for every version of a plan`);
  }
  const sentAccount = input.account && Object.values(input.account).some((v) => v !== undefined);
  if (account && sentAccount)
    throw invalid(
      "starts_on",
      "the billing account exists already: send the account members with the first plan only",
    );
  const change: PlanChange = { plan, effective: input.effective };
  if (!account) {
    const a = input.account ?? {};
    const startsOn = a.starts_on ?? today;
    if (!isDate(startsOn)) throw invalid("starts_on", "a date YYYY-MM-DD");
    if (a.anchor != null && !isDate(a.anchor)) throw invalid("anchor", "a date YYYY-MM-DD");
    change.account = {
      starts_on: startsOn,
      anchor: a.anchor ?? null,
      tax_bps: a.tax_bps ?? 0,
      settlement: a.settlement ?? "invoice",
    };
  }
  return {
    change,
    before: latest
      ? { version: latest.version, plan: latest.plan, effective_from: latest.effectiveFrom }
      : { version: null, plan: null },
  };
}

export const scheduleOf = (
  account: Pick<BillingAccountRow, "startsOn" | "anchor">,
  interval: RatePlan["period"],
): BillingSchedule => ({
  interval,
  starts_on: account.startsOn,
  ...(account.anchor ? { anchor: account.anchor } : {}),
});

/**
 * Where a version approved on `today` starts: the first version at the account's first day;
 * `next_period` at the start of the period after today's; `immediate` at the start of today's
 * period, so that period is priced by it at close. Before billing starts, at its first day.
 */
export function effectiveFrom(schedule: BillingSchedule, change: PlanChange, today: string): string {
  if (change.plan.version === 1) return schedule.starts_on;
  const current = periodContaining(schedule, today);
  if (!current) return firstPeriod(schedule).start;
  return change.effective === "immediate" ? current.start : nextPeriod(schedule, current).start;
}

/**
 * The approval's writes, gated on the request being decidable: the account if the change opens
 * one (never over an existing one), then the version, only while it is still the next one and
 * the partner is active. `stored` is the account as read before the batch. The version's insert is the last statement, so `changes()` of the
 * approval reads it: a stale version applies nothing and the request stays pending.
 */
export function planWritesWhen(
  db: Db,
  partnerId: string,
  requestId: string,
  change: PlanChange,
  stored: BillingAccountRow | undefined,
  gate: SQL,
  at: string,
) {
  const today = at.slice(0, 10);
  const account = stored ?? {
    startsOn: change.account?.starts_on ?? today,
    anchor: change.account?.anchor ?? null,
  };
  const from = effectiveFrom(scheduleOf(account, change.plan.period), change, today);
  const value = <T>(v: T, as: string) => sql<T>`${v}`.as(as);
  const opened =
    !stored && change.account
      ? db
          .insert(billingAccounts)
          .select(
            db
              .select({
                partnerId: value(partnerId, "partner_id"),
                startsOn: value(change.account.starts_on, "starts_on"),
                anchor: value(change.account.anchor, "anchor"),
                taxBps: value(change.account.tax_bps, "tax_bps"),
                settlement: value(change.account.settlement, "settlement"),
                createdAt: value(at, "created_at"),
                updatedAt: value(at, "updated_at"),
              })
              .from(partners)
              .where(and(eq(partners.id, partnerId), gate)),
          )
          .onConflictDoNothing()
      : undefined;
  const version = db.insert(ratePlans).select(
    db
      .select({
        partnerId: value(partnerId, "partner_id"),
        version: value(change.plan.version, "version"),
        plan: value(JSON.stringify(change.plan), "plan"),
        effectiveFrom: value(from, "effective_from"),
        changeRequestId: value(requestId, "change_request_id"),
        createdAt: value(at, "created_at"),
      })
      .from(partners)
      .where(
        and(
          eq(partners.id, partnerId),
          eq(partners.status, "active"),
          gate,
          sql`EXISTS (SELECT 1 FROM billing_accounts WHERE partner_id = ${partnerId})`,
          sql`(SELECT COALESCE(MAX(version), 0) FROM rate_plans WHERE partner_id = ${partnerId}) = ${change.plan.version - 1}`,
        ),
      ),
  );
  const writes = opened ? [opened, version] : [version];
  return writes;
}
