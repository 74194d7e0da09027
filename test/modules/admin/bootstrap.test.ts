import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog, adminIdentities } from "../../../src/modules/admin/storage";
import { accessToken, adminCall } from "../../support/admin";
import { db } from "../../support/partners";

// Its own file: the bootstrap applies only while the database has no active admin.
describe("the configured first admin", () => {
  it("becomes admin on its first call, once, audited; nobody else does", async () => {
    const first = "first-admin@bank.test";
    const other = "someone-else@bank.test";
    const active = await db.select().from(adminIdentities).where(eq(adminIdentities.role, "admin"));
    expect(active).toEqual([]);

    const stranger = await adminCall("GET", "/admin/v1/me", {
      token: await accessToken(other),
      env: { ADMIN_BOOTSTRAP_EMAIL: first },
    });
    expect(stranger.res.status).toBe(403);

    const me = await adminCall("GET", "/admin/v1/me", {
      token: await accessToken("First-Admin@Bank.test"),
      env: { ADMIN_BOOTSTRAP_EMAIL: first },
    });
    expect(me.res.status).toBe(200);
    expect(me.body.result).toMatchObject({ identity: first, role: "admin" });
    const [row] = await db.select().from(adminIdentities).where(eq(adminIdentities.identity, first));
    expect(row).toMatchObject({ role: "admin", createdBy: "bootstrap", disabledAt: null });
    const audit = await db.select().from(adminAuditLog).where(eq(adminAuditLog.identity, first));
    expect(audit.map((a) => a.action).sort()).toEqual(["identity.bootstrap", "me.read"]);

    // Disabled, the bootstrap does not bring it back while another admin is active.
    const grant = await adminCall("PUT", `/admin/v1/identities/${other}`, {
      token: await accessToken(first),
      json: { params: { role: "admin", reason: "second admin" } },
    });
    expect(grant.res.status).toBe(200);
    const disable = await adminCall("PUT", `/admin/v1/identities/${first}`, {
      token: await accessToken(other),
      json: { params: { role: "admin", disabled: true, reason: "left the team" } },
    });
    expect(disable.body.result).toMatchObject({ status: "disabled" });
    const again = await adminCall("GET", "/admin/v1/me", {
      token: await accessToken(first),
      env: { ADMIN_BOOTSTRAP_EMAIL: first },
    });
    expect(again.res.status).toBe(403);
    expect(again.body.error.code).toBe(103);
  });
});
