import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog, adminChangeRequests } from "../../../src/modules/admin/storage";
import { partnerContracts } from "../../../src/modules/partners/storage";
import { admin, adminCall } from "../../support/admin";
import { runJob } from "../../support/cron";
import { db, provisionPartner } from "../../support/partners";

// The cron's admin_approvals.expire: a pending change request past its expiry is stored expired
// without anyone reading it, audited as system:cron; one still in time is left pending.

async function propose(partnerId: string) {
  const maker = await admin("approver", "maker");
  const r = await adminCall("PATCH", `/admin/v1/partners/${partnerId}/contract`, {
    token: maker.token,
    json: { params: { products: ["payments", "cards"], reason: "cards launch" } },
  });
  expect(r.res.status).toBe(202);
  return r.body.result.id as string;
}

const requestRow = async (id: string) =>
  (await db.select().from(adminChangeRequests).where(eq(adminChangeRequests.id, id)))[0];
const cronAudit = (id: string) =>
  db
    .select()
    .from(adminAuditLog)
    .where(and(eq(adminAuditLog.target, id), eq(adminAuditLog.action, "approval.expire")));

describe("cron: admin_approvals.expire", () => {
  it("stores expired the pending requests past expires_at, each audited once as system:cron", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const lapsed = await propose(p.id);
    const live = await propose(p.id);
    const expiresAt = new Date(Date.now() - 1000).toISOString();
    await db.update(adminChangeRequests).set({ expiresAt }).where(eq(adminChangeRequests.id, lapsed));

    await runJob("admin_approvals.expire");

    expect(await requestRow(lapsed)).toMatchObject({ status: "expired", checker: null, decidedAt: null });
    expect((await requestRow(live))?.status).toBe("pending");
    const entries = await cronAudit(lapsed);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      identity: "system:cron",
      role: null,
      partnerId: p.id,
      outcome: 200,
      diff: { before: { status: "pending", expires_at: expiresAt }, after: { status: "expired" } },
    });
    expect(await cronAudit(live)).toEqual([]);
    // Nothing of it applied.
    const contract = (
      await db.select().from(partnerContracts).where(eq(partnerContracts.partnerId, p.id))
    )[0];
    expect(contract?.products).toEqual(["payments"]);

    // A second run finds nothing to do and audits nothing more.
    await runJob("admin_approvals.expire");
    expect(await cronAudit(lapsed)).toHaveLength(1);

    // Approving it afterwards is refused as a request no longer pending (60).
    const checker = await admin("admin", "checker");
    const r = await adminCall("POST", `/admin/v1/approvals/${lapsed}/approve`, {
      token: checker.token,
      json: { params: {} },
    });
    expect(r.res.status).toBe(409);
    expect(r.body.error.code).toBe(60);
  });

  it("takes at most its limit per run, the longest expired first", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const ids = [await propose(p.id), await propose(p.id), await propose(p.id)];
    for (const [i, id] of ids.entries()) {
      await db
        .update(adminChangeRequests)
        .set({ expiresAt: new Date(Date.now() - 10_000 + i * 1000).toISOString() })
        .where(eq(adminChangeRequests.id, id));
    }
    await runJob("admin_approvals.expire", 2);
    const statuses = await Promise.all(ids.map(async (id) => (await requestRow(id))?.status));
    expect(statuses).toEqual(["expired", "expired", "pending"]);
    await runJob("admin_approvals.expire", 2);
    expect((await requestRow(ids[2] ?? ""))?.status).toBe("expired");
  });
});
