import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog, adminChangeRequests } from "../../../src/modules/admin/storage";
import { partnerContracts, partners } from "../../../src/modules/partners/storage";
import { admin, adminCall } from "../../support/admin";
import { tokenFor } from "../../support/http";
import { db, provisionPartner, suspendPartner } from "../../support/partners";

const contractOf = async (id: string) =>
  (await db.select().from(partnerContracts).where(eq(partnerContracts.partnerId, id)))[0];
const statusOf = async (id: string) =>
  (await db.select().from(partners).where(eq(partners.id, id)))[0]?.status;

async function proposeCards(partnerId: string, maker: { token: string }) {
  const r = await adminCall("PATCH", `/admin/v1/partners/${partnerId}/contract`, {
    token: maker.token,
    json: { params: { products: ["payments", "cards"], fee_bps: 120, reason: "cards launch, new price" } },
  });
  expect(r.res.status).toBe(202);
  return r.body.result;
}

describe("admin: maker-checker", () => {
  it("a widening change is proposed by one approver and applies when a different one approves", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const before = await contractOf(p.id);
    const maker = await admin("approver", "maker");
    const checker = await admin("admin", "checker");
    const request = await proposeCards(p.id, maker);
    expect(request).toMatchObject({
      object: "change_request",
      kind: "contract_change",
      partner_id: p.id,
      status: "pending",
      change: { products: ["payments", "cards"], fee_bps: 120 },
      before: { products: ["payments"], fee_bps: 0 },
      maker: { identity: maker.email, role: "approver" },
      checker: null,
    });
    expect(Date.parse(request.expires_at) - Date.parse(request.created_at)).toBe(24 * 3_600_000);
    // Nothing applied yet.
    expect(await contractOf(p.id)).toEqual(before);
    const listed = await adminCall("GET", `/admin/v1/approvals?status=pending&partner_id=${p.id}`, {
      token: checker.token,
    });
    expect(listed.body.result.data.map((r: { id: string }) => r.id)).toEqual([request.id]);

    const approved = await adminCall("POST", `/admin/v1/approvals/${request.id}/approve`, {
      token: checker.token,
      json: { params: { reason: "checked the pricing sheet" } },
    });
    expect(approved.res.status).toBe(200);
    expect(approved.body.result).toMatchObject({
      status: "applied",
      checker: { identity: checker.email, role: "admin" },
      decision_reason: "checked the pricing sheet",
    });
    const after = await contractOf(p.id);
    expect(after).toMatchObject({ products: ["payments", "cards"], feeBps: 120 });
    expect(after?.scopes).toContain("cards:write");
    // It bites: the partner's token now reaches cards.
    const token = await tokenFor(p);
    const cards = await adminCall("GET", "/v1/cards", { headers: { Authorization: `Bearer ${token}` } });
    expect(cards.res.status).toBe(200);

    // Approving again is refused: it is no longer pending.
    const twice = await adminCall("POST", `/admin/v1/approvals/${request.id}/approve`, {
      token: checker.token,
    });
    expect(twice.res.status).toBe(409);
    expect(twice.body.error.code).toBe(60);
    const audit = await db.select().from(adminAuditLog).where(eq(adminAuditLog.target, request.id));
    expect(audit.map((a) => [a.action, a.identity, a.outcome])).toEqual([
      ["approval.approve", checker.email, 200],
      ["approval.approve", checker.email, 409],
    ]);
    expect(audit[0]?.diff).toMatchObject({ before: { status: "pending" }, after: { status: "applied" } });
  });

  it("the maker cannot approve its own request: one person never does both", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const maker = await admin("admin", "solo");
    const request = await proposeCards(p.id, maker);
    const own = await adminCall("POST", `/admin/v1/approvals/${request.id}/approve`, { token: maker.token });
    expect(own.res.status).toBe(403);
    expect(own.body.error.code).toBe(105);
    const [row] = await db.select().from(adminChangeRequests).where(eq(adminChangeRequests.id, request.id));
    expect(row).toMatchObject({ status: "pending", checker: null });
    expect((await contractOf(p.id))?.products).toEqual(["payments"]);
    const [refusal] = await db.select().from(adminAuditLog).where(eq(adminAuditLog.target, request.id));
    expect(refusal).toMatchObject({
      identity: maker.email,
      action: "approval.approve",
      outcome: 403,
      partnerId: null,
    });
  });

  it("a viewer or an operator cannot approve or propose", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const request = await proposeCards(p.id, await admin("approver"));
    for (const role of ["viewer", "operator"] as const) {
      const { token } = await admin(role);
      const r = await adminCall("POST", `/admin/v1/approvals/${request.id}/approve`, { token });
      expect(r.res.status).toBe(403);
      expect(r.body.error).toMatchObject({ code: 104, message: expect.stringContaining("approver") });
      const reactivate = await adminCall("POST", `/admin/v1/partners/${p.id}/reactivate`, {
        token,
        json: { params: { reason: "please" } },
      });
      expect(reactivate.body.error.code).toBe(104);
    }
    const [row] = await db.select().from(adminChangeRequests).where(eq(adminChangeRequests.id, request.id));
    expect(row?.status).toBe("pending");
  });

  it("a first approval older than the TTL expires: it can no longer be approved, and nothing applies", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const request = await proposeCards(p.id, await admin("approver"));
    await db
      .update(adminChangeRequests)
      .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
      .where(eq(adminChangeRequests.id, request.id));
    const checker = await admin("approver");
    const listed = await adminCall("GET", `/admin/v1/approvals/${request.id}`, { token: checker.token });
    expect(listed.body.result.status).toBe("expired");
    const r = await adminCall("POST", `/admin/v1/approvals/${request.id}/approve`, { token: checker.token });
    expect(r.res.status).toBe(409);
    expect(r.body.error.code).toBe(106);
    const [row] = await db.select().from(adminChangeRequests).where(eq(adminChangeRequests.id, request.id));
    expect(row?.status).toBe("expired");
    expect((await contractOf(p.id))?.products).toEqual(["payments"]);
    const again = await adminCall("POST", `/admin/v1/approvals/${request.id}/approve`, {
      token: checker.token,
    });
    expect(again.body.error.code).toBe(60);
  });

  it("the TTL is configurable", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const maker = await admin("approver");
    const r = await adminCall("PATCH", `/admin/v1/partners/${p.id}/contract`, {
      token: maker.token,
      json: { params: { daily_quota: null, rate_limit_per_second: 2000, reason: "peak season" } },
      env: { ADMIN_APPROVAL_TTL_HOURS: "2" },
    });
    expect(r.res.status).toBe(202);
    expect(Date.parse(r.body.result.expires_at) - Date.parse(r.body.result.created_at)).toBe(2 * 3_600_000);
  });

  it("a rejected request cannot be approved; the maker may withdraw its own", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const maker = await admin("approver");
    const first = await proposeCards(p.id, maker);
    const checker = await admin("approver");
    const rejected = await adminCall("POST", `/admin/v1/approvals/${first.id}/reject`, {
      token: checker.token,
      json: { params: { reason: "price not agreed" } },
    });
    expect(rejected.body.result).toMatchObject({ status: "rejected", checker: { identity: checker.email } });
    const late = await adminCall("POST", `/admin/v1/approvals/${first.id}/approve`, {
      token: (await admin("admin")).token,
    });
    expect(late.body.error.code).toBe(60);
    const second = await proposeCards(p.id, maker);
    const withdrawn = await adminCall("POST", `/admin/v1/approvals/${second.id}/reject`, {
      token: maker.token,
      json: { params: { reason: "proposed by mistake" } },
    });
    expect(withdrawn.body.result.status).toBe("rejected");
    expect((await contractOf(p.id))?.products).toEqual(["payments"]);
    const unknown = await adminCall("POST", `/admin/v1/approvals/${crypto.randomUUID()}/approve`, {
      token: checker.token,
    });
    expect(unknown.res.status).toBe(404);
  });

  it("reactivation needs two approvers; concurrent approvals apply it exactly once", async () => {
    const p = await provisionPartner();
    await suspendPartner(p.id);
    const op = await admin("operator");
    const maker = await admin("approver");
    const notSuspended = await provisionPartner();
    const refused = await adminCall("POST", `/admin/v1/partners/${notSuspended.id}/reactivate`, {
      token: maker.token,
      json: { params: { reason: "not suspended" } },
    });
    expect(refused.body.error.code).toBe(60);
    expect(op).toBeTruthy();
    const proposed = await adminCall("POST", `/admin/v1/partners/${p.id}/reactivate`, {
      token: maker.token,
      json: { params: { reason: "investigation closed" } },
    });
    expect(proposed.res.status).toBe(202);
    expect(proposed.body.result).toMatchObject({ kind: "reactivation", change: { status: "active" } });
    expect(await statusOf(p.id)).toBe("suspended");
    const [a, b] = [await admin("approver"), await admin("admin")];
    const answers = await Promise.all(
      [a, b].map((x) =>
        adminCall("POST", `/admin/v1/approvals/${proposed.body.result.id}/approve`, { token: x.token }),
      ),
    );
    expect(answers.map((r) => r.res.status).sort()).toEqual([200, 409]);
    expect(await statusOf(p.id)).toBe("active");
    const token = await tokenFor(p);
    expect(token).toBeTruthy();
  });

  it("a change that cannot apply any more (the partner was offboarded meanwhile) stays pending: 60", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const request = await proposeCards(p.id, await admin("approver"));
    await db.update(partners).set({ status: "offboarded" }).where(eq(partners.id, p.id));
    const r = await adminCall("POST", `/admin/v1/approvals/${request.id}/approve`, {
      token: (await admin("admin")).token,
    });
    expect(r.res.status).toBe(409);
    expect(r.body.error.code).toBe(60);
    const [row] = await db.select().from(adminChangeRequests).where(eq(adminChangeRequests.id, request.id));
    expect(row?.status).toBe("pending");
    expect((await contractOf(p.id))?.products).toEqual(["payments"]);
  });
});
