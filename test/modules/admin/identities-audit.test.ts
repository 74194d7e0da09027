import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog, adminIdentities } from "../../../src/modules/admin/storage";
import { accessToken, admin, adminCall } from "../../support/admin";
import { db, provisionPartner } from "../../support/partners";

describe("admin: identities and roles", () => {
  it("only an admin manages roles; a new role bites on the next call", async () => {
    const boss = await admin("admin");
    const newcomer = `new-${crypto.randomUUID().slice(0, 8)}@bank.test`;
    for (const role of ["viewer", "operator", "approver"] as const) {
      const { token } = await admin(role);
      const r = await adminCall("PUT", `/admin/v1/identities/${newcomer}`, {
        token,
        json: { params: { role: "admin", reason: "promote myself" } },
      });
      expect(r.body.error.code).toBe(104);
      expect((await adminCall("GET", "/admin/v1/identities", { token })).body.error.code).toBe(104);
    }
    expect(await db.select().from(adminIdentities).where(eq(adminIdentities.identity, newcomer))).toEqual([]);
    const token = await accessToken(newcomer);
    expect((await adminCall("GET", "/admin/v1/me", { token })).body.error.code).toBe(103);
    const granted = await adminCall("PUT", `/admin/v1/identities/${newcomer.toUpperCase()}`, {
      token: boss.token,
      json: { params: { role: "viewer", reason: "joined the platform team" } },
    });
    expect(granted.res.status).toBe(200);
    expect(granted.body.result).toMatchObject({
      identity: newcomer,
      role: "viewer",
      status: "active",
      created_by: boss.email,
    });
    expect((await adminCall("GET", "/admin/v1/me", { token })).body.result.role).toBe("viewer");
    const disabled = await adminCall("PUT", `/admin/v1/identities/${newcomer}`, {
      token: boss.token,
      json: { params: { role: "viewer", disabled: true, reason: "left" } },
    });
    expect(disabled.body.result.status).toBe("disabled");
    expect((await adminCall("GET", "/admin/v1/me", { token })).body.error.code).toBe(103);
    const list = await adminCall("GET", "/admin/v1/identities", { token: boss.token });
    expect(list.body.result.find((i: { identity: string }) => i.identity === newcomer)).toMatchObject({
      status: "disabled",
    });
  });

  it("the last active admin cannot be demoted or disabled (107)", async () => {
    await db.delete(adminIdentities);
    const only = await admin("admin");
    for (const params of [
      { role: "approver", reason: "step down" },
      { role: "admin", disabled: true, reason: "leave" },
    ]) {
      const r = await adminCall("PUT", `/admin/v1/identities/${only.email}`, {
        token: only.token,
        json: { params },
      });
      expect(r.res.status).toBe(409);
      expect(r.body.error.code).toBe(107);
    }
    const [row] = await db.select().from(adminIdentities).where(eq(adminIdentities.identity, only.email));
    expect(row).toMatchObject({ role: "admin", disabledAt: null });
  });
});

describe("admin: the audit log", () => {
  it("is searchable by partner, identity, action and time, newest first", async () => {
    const p = await provisionPartner();
    const op = await admin("operator");
    const viewer = await admin("viewer");
    const start = new Date().toISOString();
    await adminCall("GET", `/admin/v1/partners/${p.id}`, { token: viewer.token });
    await adminCall("POST", `/admin/v1/partners/${p.id}/suspend`, {
      token: op.token,
      json: { params: { reason: "audit test" } },
    });
    const r = await adminCall("GET", `/admin/v1/audit?partner_id=${p.id}`, { token: viewer.token });
    expect(r.res.status).toBe(200);
    expect(r.body.result.data.map((e: { action: string }) => e.action)).toEqual([
      "partner.suspend",
      "partner.read",
    ]);
    expect(r.body.result.data[0]).toMatchObject({
      object: "admin_audit_entry",
      identity: op.email,
      role: "operator",
      target: p.id,
      partner_id: p.id,
      outcome: 200,
      reason: "audit test",
      diff: { before: { status: "active" }, after: { status: "suspended" } },
    });
    const byIdentity = await adminCall("GET", `/admin/v1/audit?identity=${op.email.toUpperCase()}`, {
      token: viewer.token,
    });
    expect(byIdentity.body.result.data.map((e: { action: string }) => e.action)).toEqual(["partner.suspend"]);
    const byAction = await adminCall("GET", `/admin/v1/audit?action=partner.read&partner_id=${p.id}`, {
      token: viewer.token,
    });
    expect(byAction.body.result.data).toHaveLength(1);
    const future = new Date(Date.now() + 60_000).toISOString();
    const window = await adminCall(
      "GET",
      `/admin/v1/audit?partner_id=${p.id}&from=${start}&to=${future}&limit=1`,
      {
        token: viewer.token,
      },
    );
    expect(window.body.result).toMatchObject({ has_more: true, data: [{ action: "partner.suspend" }] });
    const later = await adminCall("GET", `/admin/v1/audit?partner_id=${p.id}&from=${future}`, {
      token: viewer.token,
    });
    expect(later.body.result.data).toEqual([]);
    const bad = await adminCall("GET", "/admin/v1/audit?from=yesterday", { token: viewer.token });
    expect(bad.body.error.code).toBe(4);
  });

  it("is append-only, and holds no secret, hash or token", async () => {
    const p = await provisionPartner();
    const op = await admin("operator");
    const issued = await adminCall("POST", `/admin/v1/partners/${p.id}/credentials`, {
      token: op.token,
      json: { params: { reason: "second key" } },
    });
    const secret = issued.body.result.consumer_secret;
    const rows = await db.select().from(adminAuditLog);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(op.token);
    expect(text).not.toMatch(/secret_hash|pbkdf2|consumer_secret/);
    await expect(env.DB.prepare("UPDATE admin_audit_log SET outcome = 200").run()).rejects.toThrow(
      /append-only/,
    );
    await expect(env.DB.prepare("DELETE FROM admin_audit_log").run()).rejects.toThrow(/append-only/);
  });
});
