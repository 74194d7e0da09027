import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog, adminChangeRequests } from "../../../src/modules/admin/storage";
import { meteredUsage } from "../../../src/modules/billing/metering/storage";
import { nextPeriod, periodContaining } from "../../../src/modules/billing/period";
import type { RatePlanInput } from "../../../src/modules/billing/plan";
import { billingAccounts, ratePlans } from "../../../src/modules/billing/storage";
import { admin, adminCall } from "../../support/admin";
import { call, tokenFor } from "../../support/http";
import { db, provisionPartner, suspendPartner } from "../../support/partners";
import { seedPlan } from "../../support/plans";
import { securitySuite } from "../../support/security-suite";

securitySuite({
  method: "GET",
  path: "/v1/plan",
  product: null,
  scope: "usage:read",
  prepare: async (partner) => {
    await seedPlan(partner.id);
  },
});

const PLAN = {
  version: 1,
  currency: "UZS",
  period: "month",
  recurring_fee_minor: 100_000,
  products: { payments: { included_calls: 1000 } },
} satisfies RatePlanInput;
const today = () => new Date().toISOString().slice(0, 10);
const versionsOf = (id: string) => db.select().from(ratePlans).where(eq(ratePlans.partnerId, id));

async function propose(partnerId: string, maker: { token: string }, params: Record<string, unknown>) {
  return adminCall("PUT", `/admin/v1/partners/${partnerId}/plan`, {
    token: maker.token,
    json: { params: { reason: "new pricing agreed", ...params } },
  });
}
async function approve(requestId: string, checker: { token: string }) {
  return adminCall("POST", `/admin/v1/approvals/${requestId}/approve`, {
    token: checker.token,
    json: { params: { reason: "checked against the signed contract" } },
  });
}

describe("rate plans through the admin API", () => {
  it("the first plan is proposed (202), writes nothing, and applies with the account when a second approver approves", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const maker = await admin("approver", "maker");
    const checker = await admin("approver", "checker");
    const proposed = await propose(p.id, maker, {
      plan: PLAN,
      effective: "immediate",
      starts_on: "2026-01-15",
      anchor: "2026-01-01",
      tax_bps: 1200,
    });
    expect(proposed.res.status).toBe(202);
    expect(proposed.body.result).toMatchObject({
      object: "change_request",
      kind: "rate_plan",
      partner_id: p.id,
      status: "pending",
      change: {
        effective: "immediate",
        plan: { version: 1, overage: "bill" },
        account: { starts_on: "2026-01-15", anchor: "2026-01-01", tax_bps: 1200, settlement: "invoice" },
      },
      before: { version: null, plan: null },
    });
    expect(await versionsOf(p.id)).toEqual([]);
    expect(await db.select().from(billingAccounts).where(eq(billingAccounts.partnerId, p.id))).toEqual([]);

    const own = await approve(proposed.body.result.id, maker);
    expect(own.body.error.code).toBe(105);
    const approved = await approve(proposed.body.result.id, checker);
    expect(approved.res.status).toBe(200);
    expect(approved.body.result.status).toBe("applied");
    const [v1] = await versionsOf(p.id);
    expect(v1).toMatchObject({
      version: 1,
      effectiveFrom: "2026-01-15",
      changeRequestId: proposed.body.result.id,
    });
    expect(v1?.plan).toMatchObject(PLAN);

    const read = await adminCall("GET", `/admin/v1/partners/${p.id}/plan`, {
      token: (await admin("viewer")).token,
    });
    expect(read.res.status).toBe(200);
    const current = periodContaining(
      { interval: "month", starts_on: "2026-01-15", anchor: "2026-01-01" },
      today(),
    );
    expect(read.body.result).toMatchObject({
      object: "rate_plan",
      account: { starts_on: "2026-01-15", anchor: "2026-01-01", tax_bps: 1200, settlement: "invoice" },
      in_force: { version: 1, effective_from: "2026-01-15" },
      versions: [{ version: 1, effective_from: "2026-01-15" }],
      current_period: { start: current?.start, end: current?.end, days: current?.days },
    });
    const audit = await db.select().from(adminAuditLog).where(eq(adminAuditLog.partnerId, p.id));
    expect(audit.map((a) => [a.action, a.outcome])).toContainEqual(["plan.change", 202]);
  });

  it("next_period starts at the next period, immediate at the current one; the later version wins a tie", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const schedule = { interval: "month" as const, starts_on: "2026-01-01" };
    await seedPlan(p.id, PLAN, { startsOn: "2026-01-01" });
    const maker = await admin("approver", "maker");
    const checker = await admin("admin", "checker");
    const current = periodContaining(schedule, today());
    if (!current) throw new Error("the schedule starts in the past");

    const v2 = await propose(p.id, maker, { plan: { ...PLAN, version: 2 }, effective: "next_period" });
    expect(v2.body.result.before).toMatchObject({ version: 1, effective_from: "2026-01-01" });
    expect((await approve(v2.body.result.id, checker)).res.status).toBe(200);
    const v3 = await propose(p.id, maker, {
      plan: { ...PLAN, version: 3, recurring_fee_minor: 50_000 },
      effective: "immediate",
    });
    expect((await approve(v3.body.result.id, checker)).res.status).toBe(200);
    const versions = await versionsOf(p.id);
    expect(versions.map((v) => [v.version, v.effectiveFrom])).toEqual([
      [1, "2026-01-01"],
      [2, nextPeriod(schedule, current).start],
      [3, current.start],
    ]);
    const read = await adminCall("GET", `/admin/v1/partners/${p.id}/plan`, { token: checker.token });
    expect(read.body.result.in_force).toMatchObject({ version: 3, effective_from: current.start });
  });

  it("a stale version is 171 at the proposal and at the approval, which then applies nothing", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    await seedPlan(p.id, PLAN, { startsOn: "2026-01-01" });
    const maker = await admin("approver", "maker");
    const checker = await admin("approver", "checker");
    const stale = await propose(p.id, maker, { plan: PLAN, effective: "next_period" });
    expect(stale.res.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 171, reason: "plan_version_stale" });
    const ahead = await propose(p.id, maker, { plan: { ...PLAN, version: 3 }, effective: "next_period" });
    expect(ahead.body.error.code).toBe(171);

    const a = await propose(p.id, maker, { plan: { ...PLAN, version: 2 }, effective: "next_period" });
    const b = await propose(p.id, maker, {
      plan: { ...PLAN, version: 2, recurring_fee_minor: 1 },
      effective: "next_period",
    });
    expect([a.res.status, b.res.status]).toEqual([202, 202]);
    expect((await approve(a.body.result.id, checker)).res.status).toBe(200);
    const late = await approve(b.body.result.id, checker);
    expect(late.res.status).toBe(409);
    expect(late.body.error.code).toBe(171);
    const [row] = await db
      .select()
      .from(adminChangeRequests)
      .where(eq(adminChangeRequests.id, b.body.result.id));
    expect(row?.status).toBe("pending");
    expect((await versionsOf(p.id)).map((v) => v.version)).toEqual([1, 2]);
  });

  it("refuses a changed period or currency, an invalid plan (every problem named), account members on a later plan", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    await seedPlan(p.id, PLAN, { startsOn: "2026-01-01" });
    const maker = await admin("approver");
    const period = await propose(p.id, maker, {
      plan: { ...PLAN, version: 2, period: "year" },
      effective: "next_period",
    });
    expect(period.res.status).toBe(400);
    expect(period.body.error).toMatchObject({ code: 4, field: "params.plan.period" });
    const currency = await propose(p.id, maker, {
      plan: { ...PLAN, version: 2, currency: "USD" },
      effective: "next_period",
    });
    expect(currency.body.error).toMatchObject({ code: 4, field: "params.plan.currency" });
    const account = await propose(p.id, maker, {
      plan: { ...PLAN, version: 2 },
      effective: "next_period",
      tax_bps: 5,
    });
    expect(account.body.error).toMatchObject({ code: 4 });

    const invalid = await propose(p.id, maker, {
      plan: {
        ...PLAN,
        version: 2,
        overage: "sometimes",
        products: { payments: { tiers: [{ up_to: 10, price: { minor: 1, per: 1 } }] } },
        free_lunch: true,
      },
      effective: "next_period",
    });
    expect(invalid.res.status).toBe(400);
    expect(invalid.body.error.code).toBe(4);
    for (const path of ["overage", "products.payments.tiers.0.up_to", "free_lunch"])
      expect(invalid.body.error.message).toContain(path);
    expect((await versionsOf(p.id)).length).toBe(1);
    const pending = await db
      .select()
      .from(adminChangeRequests)
      .where(eq(adminChangeRequests.partnerId, p.id));
    expect(pending).toEqual([]);
  });

  it("bad requests change nothing: unknown partner 404, suspended 60, operator 104, unknown member, missing body", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const maker = await admin("approver");
    const unknown = await propose(crypto.randomUUID(), maker, { plan: PLAN, effective: "next_period" });
    expect(unknown.res.status).toBe(404);
    expect(unknown.body.error.code).toBe(30);
    const unknownRead = await adminCall("GET", `/admin/v1/partners/${crypto.randomUUID()}/plan`, {
      token: maker.token,
    });
    expect(unknownRead.body.error.code).toBe(30);
    const operator = await propose(p.id, await admin("operator"), { plan: PLAN, effective: "next_period" });
    expect(operator.body.error.code).toBe(104);
    const stray = await propose(p.id, maker, { plan: PLAN, effective: "next_period", fee_bps: 5 });
    expect(stray.res.status).toBe(400);
    const badEffective = await propose(p.id, maker, { plan: PLAN, effective: "yesterday" });
    expect(badEffective.res.status).toBe(400);
    const wrongType = await propose(p.id, maker, { plan: "gold", effective: "next_period" });
    expect(wrongType.body.error.code).toBe(3);
    const missing = await adminCall("PUT", `/admin/v1/partners/${p.id}/plan`, { token: maker.token });
    expect(missing.res.status).toBe(400);
    const method = await adminCall("DELETE", `/admin/v1/partners/${p.id}/plan`, { token: maker.token });
    expect(method.res.status).toBe(405);
    await suspendPartner(p.id);
    const suspended = await propose(p.id, maker, { plan: PLAN, effective: "next_period" });
    expect(suspended.res.status).toBe(409);
    expect(suspended.body.error.code).toBe(60);
    expect(
      await db.select().from(adminChangeRequests).where(eq(adminChangeRequests.partnerId, p.id)),
    ).toEqual([]);
    expect(await versionsOf(p.id)).toEqual([]);
  });
});

describe("GET /v1/plan", () => {
  it("a partner without a plan reads 404, code 30", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const r = await call("GET", "/v1/plan", { token: await tokenFor(p) });
    expect(r.res.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 30, reason: "not_found" });
    expect(r.body.error.message).toContain("rate plan");
  });

  it("shows the version in force, the next one and the period's included, used and remaining calls", async () => {
    const p = await provisionPartner({ products: ["payments", "kyc"] });
    await seedPlan(
      p.id,
      { ...PLAN, products: { payments: { included_calls: 1000 }, kyc: { included_calls: 5 } } },
      {
        startsOn: "2026-01-01",
      },
    );
    const schedule = { interval: "month" as const, starts_on: "2026-01-01" };
    const current = periodContaining(schedule, today());
    if (!current) throw new Error("the schedule starts in the past");
    const next = nextPeriod(schedule, current);
    await db.insert(ratePlans).values({
      partnerId: p.id,
      version: 2,
      plan: { ...PLAN, version: 2, overage: "bill", products: {} } as never,
      effectiveFrom: next.start,
    });
    const hour = `${current.start}T05:00:00Z`;
    await db.insert(meteredUsage).values([
      {
        partnerId: p.id,
        hour,
        product: "payments",
        operation: "createPayment",
        outcome: "success",
        calls: 40,
      },
      {
        partnerId: p.id,
        hour,
        product: "payments",
        operation: "createPayment",
        outcome: "client_error",
        calls: 2,
      },
      {
        partnerId: p.id,
        hour,
        product: "payments",
        operation: "createPayment",
        outcome: "refused",
        calls: 9,
      },
      { partnerId: p.id, hour, product: "kyc", operation: "verifyKyc", outcome: "success", calls: 7 },
      // Before the period: not this period's.
      {
        partnerId: p.id,
        hour: "2025-12-31T23:00:00Z",
        product: "payments",
        operation: "createPayment",
        outcome: "success",
        calls: 500,
      },
    ]);
    const r = await call("GET", "/v1/plan", { token: await tokenFor(p) });
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      object: "plan",
      version: 1,
      effective_from: "2026-01-01",
      next: { version: 2, effective_from: next.start },
      current_period: { start: current.start, end: current.end, days: current.days },
      next_period_start: next.start,
    });
    expect(r.body.result.usage).toEqual([
      { product: "payments", included_calls: 1000, used_calls: 42, remaining_calls: 958 },
      { product: "kyc", included_calls: 5, used_calls: 7, remaining_calls: 0 },
    ]);
  });
});
