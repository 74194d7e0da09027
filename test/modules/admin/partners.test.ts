import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog } from "../../../src/modules/admin/storage";
import { partnerContracts, partnerCredentials, partners } from "../../../src/modules/partners/storage";
import { webhookEndpoints } from "../../../src/modules/webhooks/storage";
import { admin, adminCall } from "../../support/admin";
import { call, requestToken, tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";

const auditOf = (partnerId: string) =>
  db.select().from(adminAuditLog).where(eq(adminAuditLog.partnerId, partnerId)).orderBy(adminAuditLog.id);

const contractOf = async (partnerId: string) =>
  (await db.select().from(partnerContracts).where(eq(partnerContracts.partnerId, partnerId)))[0];

describe("admin: partners", () => {
  it("lists and searches partners, newest first, paginated", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const a = await provisionPartner({ name: `Acme ${tag} Telecom` });
    const b = await provisionPartner({ name: `acme ${tag} market` });
    await provisionPartner({ name: `Other ${tag}` });
    const { token } = await admin("viewer");
    const page1 = await adminCall("GET", `/admin/v1/partners?query=ACME%20${tag}&limit=1`, { token });
    expect(page1.res.status).toBe(200);
    expect(page1.body.result.data.map((p: { id: string }) => p.id)).toEqual([b.id]);
    expect(page1.body.result.has_more).toBe(true);
    const page2 = await adminCall(
      "GET",
      `/admin/v1/partners?query=acme%20${tag}&limit=1&starting_after=${b.id}`,
      { token },
    );
    expect(page2.body.result).toMatchObject({
      data: [{ id: a.id, object: "admin_partner", status: "active" }],
      has_more: false,
    });
    const byId = await adminCall("GET", `/admin/v1/partners?query=${a.id}`, { token });
    expect(byId.body.result.data.map((p: { id: string }) => p.id)).toEqual([a.id]);
    const none = await adminCall(
      "GET",
      `/admin/v1/partners?query=${tag}&status=suspended&environment=sandbox`,
      { token },
    );
    expect(none.body.result.data).toEqual([]);
    const bad = await adminCall("GET", "/admin/v1/partners?status=gone", { token });
    expect(bad.res.status).toBe(400);
    expect(bad.body.error.code).toBe(4);
  });

  it("reads a partner in full: contract, credentials without hashes, usage so far", async () => {
    const p = await provisionPartner({ feeBps: 150 });
    const partnerToken = await tokenFor(p);
    await call("POST", "/v1/partner/credentials", {
      token: partnerToken,
      json: { params: { description: "x" } },
    });
    const { token } = await admin("viewer");
    const r = await adminCall("GET", `/admin/v1/partners/${p.id}`, { token });
    expect(r.res.status).toBe(200);
    const detail = r.body.result;
    expect(detail).toMatchObject({
      id: p.id,
      status: "active",
      contract: {
        tier: "enterprise",
        fees: { bps: 150, fixed_minor: 0, dispute_minor: 0 },
        effective_rate_limit_per_second: 1000,
      },
      usage: {
        audited_requests_today: 1,
        audited_requests_last_30_days: 1,
        webhook_endpoints: { enabled: 0, disabled: 0 },
      },
      pending_change_requests: 0,
    });
    expect(detail.credentials).toHaveLength(2);
    const text = JSON.stringify(r.body);
    expect(text).not.toMatch(/secret_hash|secretHash|pbkdf2|consumer_secret/);
    expect(text).not.toContain(p.consumerSecret);
    const missing = await adminCall("GET", `/admin/v1/partners/${crypto.randomUUID()}`, { token });
    expect(missing.res.status).toBe(404);
    expect(missing.body.error.code).toBe(30);
  });

  it("a narrowing contract change applies at once with one operator, bites at once, and is audited with its diff", async () => {
    const p = await provisionPartner();
    const partnerToken = await tokenFor(p);
    expect(
      (await call("GET", "/v1/fx/rates?sell_currency=USD&buy_currency=UZS", { token: partnerToken })).res
        .status,
    ).toBe(200);
    const op = await admin("operator");
    const r = await adminCall("PATCH", `/admin/v1/partners/${p.id}/contract`, {
      token: op.token,
      json: {
        params: {
          products: ["payments", "payouts"],
          daily_quota: 1000,
          data_access: [],
          reason: "narrowed to payments",
        },
      },
    });
    expect(r.res.status).toBe(200);
    expect(r.body.result.contract).toMatchObject({ products: ["payments", "payouts"], daily_quota: 1000 });
    const stored = await contractOf(p.id);
    expect(stored?.products).toEqual(["payments", "payouts"]);
    expect(stored?.scopes).not.toContain("fx:read");
    expect(stored?.scopes).toContain("payments:write");
    const fx = await call("GET", "/v1/fx/rates?sell_currency=USD&buy_currency=UZS", { token: partnerToken });
    expect(fx.res.status).toBe(403);
    expect(fx.body.error.code).toBe(21);
    const [entry] = (await auditOf(p.id)).filter((a) => a.action === "contract.change");
    expect(entry).toMatchObject({
      identity: op.email,
      role: "operator",
      outcome: 200,
      reason: "narrowed to payments",
    });
    expect(entry?.diff?.before).toMatchObject({ daily_quota: null });
    expect(entry?.diff?.after).toMatchObject({ products: ["payments", "payouts"], daily_quota: 1000 });
  });

  it("a contract change is checked against the catalogue and changes nothing when refused", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const before = await contractOf(p.id);
    const op = await admin("operator");
    for (const params of [
      { products: ["mortgages"], reason: "unknown product" },
      { scopes: ["cards:write"], reason: "a scope the products do not grant" },
      { cors_origins: ["http://insecure.example"], reason: "not https" },
      { fee_bps: -1, reason: "negative fee" },
      { products: ["payments"] },
      { products: ["payments"], reason: "x", surprise: true },
    ]) {
      const r = await adminCall("PATCH", `/admin/v1/partners/${p.id}/contract`, {
        token: op.token,
        json: { params },
      });
      expect(r.res.status, JSON.stringify(params)).toBe(400);
      expect(r.body.error.code).toBe(4);
    }
    expect(await contractOf(p.id)).toEqual(before);
    const viewer = await admin("viewer");
    const refused = await adminCall("PATCH", `/admin/v1/partners/${p.id}/contract`, {
      token: viewer.token,
      json: { params: { products: [], reason: "a viewer tries" } },
    });
    expect(refused.res.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 104, message: expect.stringContaining("operator") });
    expect(await contractOf(p.id)).toEqual(before);
  });

  it("a widening change or a fee change by an operator is refused: it needs an approver to propose it", async () => {
    const p = await provisionPartner({ products: ["payments"] });
    const before = await contractOf(p.id);
    const op = await admin("operator");
    for (const params of [
      { products: ["payments", "cards"] },
      { fee_bps: 10 },
      { rate_limit_per_second: 5000 },
    ]) {
      const r = await adminCall("PATCH", `/admin/v1/partners/${p.id}/contract`, {
        token: op.token,
        json: { params: { ...params, reason: "widen it" } },
      });
      expect(r.res.status).toBe(403);
      expect(r.body.error.code).toBe(104);
    }
    expect(await contractOf(p.id)).toEqual(before);
    const refusals = (await auditOf(p.id)).filter((a) => a.action === "contract.change");
    expect(refusals.map((a) => [a.outcome, a.diff])).toEqual([
      [403, null],
      [403, null],
      [403, null],
    ]);
  });

  it("suspends at once: the partner's tokens and the token endpoint refuse it; a second suspend is 60", async () => {
    const p = await provisionPartner();
    const partnerToken = await tokenFor(p);
    const op = await admin("operator");
    const r = await adminCall("POST", `/admin/v1/partners/${p.id}/suspend`, {
      token: op.token,
      json: { params: { reason: "fraud investigation" } },
    });
    expect(r.res.status).toBe(200);
    expect(r.body.result).toEqual({ id: p.id, status: "suspended" });
    const refused = await adminCall("GET", "/v1/partner", {
      headers: { Authorization: `Bearer ${partnerToken}` },
    });
    expect(refused.res.status).toBe(403);
    expect(refused.body.error.code).toBe(14);
    const again = await adminCall("POST", `/admin/v1/partners/${p.id}/suspend`, {
      token: op.token,
      json: { params: { reason: "twice" } },
    });
    expect(again.res.status).toBe(409);
    expect(again.body.error.code).toBe(60);
    const missingReason = await adminCall("POST", `/admin/v1/partners/${p.id}/suspend`, {
      token: op.token,
      json: { params: {} },
    });
    expect(missingReason.body.error.code).toBe(4);
    const audit = (await auditOf(p.id)).filter((a) => a.action === "partner.suspend");
    expect(audit.map((a) => a.outcome)).toEqual([200, 409, 400]);
    expect(audit[0]?.diff).toEqual({
      before: { id: p.id, status: "active" },
      after: { id: p.id, status: "suspended" },
    });
  });

  it("offboards: every credential revoked, every endpoint disabled, the data kept; an operator may not", async () => {
    const p = await provisionPartner();
    const partnerToken = await tokenFor(p);
    const ep = await call("POST", "/v1/webhook_endpoints", {
      token: partnerToken,
      json: { params: { url: "https://hooks.example.com/portico" } },
    });
    expect(ep.res.status).toBe(200);
    const op = await admin("operator");
    const refused = await adminCall("POST", `/admin/v1/partners/${p.id}/offboard`, {
      token: op.token,
      json: { params: { reason: "contract ended" } },
    });
    expect(refused.body.error.code).toBe(104);
    const approver = await admin("approver");
    const r = await adminCall("POST", `/admin/v1/partners/${p.id}/offboard`, {
      token: approver.token,
      json: { params: { reason: "contract ended" } },
    });
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      status: "offboarded",
      disabled_webhook_endpoints: [ep.body.result.id],
    });
    expect(r.body.result.revoked_credentials).toHaveLength(1);
    const [row] = await db.select().from(partners).where(eq(partners.id, p.id));
    expect(row?.status).toBe("offboarded");
    const creds = await db.select().from(partnerCredentials).where(eq(partnerCredentials.partnerId, p.id));
    expect(creds.every((c) => c.status === "revoked" && c.revokedAt)).toBe(true);
    const eps = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.partnerId, p.id));
    expect(eps).toMatchObject([{ status: "disabled", disabledReason: "the partner was offboarded" }]);
    expect((await requestToken(p)).res.status).toBe(401);
    const v1 = await adminCall("GET", "/v1/partner", {
      headers: { Authorization: `Bearer ${partnerToken}` },
    });
    expect(v1.res.status).toBe(401);
    const twice = await adminCall("POST", `/admin/v1/partners/${p.id}/offboard`, {
      token: approver.token,
      json: { params: { reason: "again" } },
    });
    expect(twice.body.error.code).toBe(60);
    const change = await adminCall("PATCH", `/admin/v1/partners/${p.id}/contract`, {
      token: approver.token,
      json: { params: { products: [], reason: "after offboarding" } },
    });
    expect(change.body.error.code).toBe(60);
  });

  it("issues and revokes credentials; the secret is shown once and never audited", async () => {
    const p = await provisionPartner();
    const op = await admin("operator");
    const issued = await adminCall("POST", `/admin/v1/partners/${p.id}/credentials`, {
      token: op.token,
      json: { params: { description: "billing", reason: "partner asked for a second key" } },
    });
    expect(issued.res.status).toBe(201);
    const secret = issued.body.result.consumer_secret as string;
    expect(secret).toMatch(/^cs_test_/);
    const token = await tokenFor({
      ...p,
      consumerKey: issued.body.result.consumer_key,
      consumerSecret: secret,
    });
    expect(token).toBeTruthy();
    const revoked = await adminCall(
      "DELETE",
      `/admin/v1/partners/${p.id}/credentials/${issued.body.result.id}`,
      {
        token: op.token,
      },
    );
    expect(revoked.res.status).toBe(200);
    expect(revoked.body.result).toMatchObject({ status: "revoked" });
    expect(
      (await requestToken({ consumerKey: issued.body.result.consumer_key, consumerSecret: secret })).res
        .status,
    ).toBe(401);
    const other = await provisionPartner();
    const notTheirs = await adminCall(
      "DELETE",
      `/admin/v1/partners/${other.id}/credentials/${issued.body.result.id}`,
      {
        token: op.token,
      },
    );
    expect(notTheirs.res.status).toBe(404);
    const audit = await auditOf(p.id);
    expect(audit.map((a) => a.action)).toEqual(["credential.issue", "credential.revoke"]);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(audit[0]?.diff?.after).toMatchObject({ consumer_key: issued.body.result.consumer_key });
  });
});
