import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog, adminIdentities } from "../../../src/modules/admin/storage";
import { partners } from "../../../src/modules/partners/storage";
import { type Env, loadConfig } from "../../../src/platform/env";
import { type OpenApiDocument, operationsOf } from "../../contract/openapi";
import { ACCESS_AUD, ADMIN_ENV, accessToken, admin, adminCall, forgerKey } from "../../support/admin";
import { tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";

const refusedWith = (
  r: { res: Response; body: { result: unknown; error: { code: number } } },
  status: number,
  code: number,
) => {
  expect(r.res.status).toBe(status);
  expect(r.body.result).toBeNull();
  expect(r.body.error.code).toBe(code);
};

describe("admin authentication: Cloudflare Access", () => {
  it("a valid Access assertion of an identity with a role is let in, and says who it is", async () => {
    const { email, token } = await admin("viewer");
    const r = await adminCall("GET", "/admin/v1/me", { token });
    expect(r.res.status).toBe(200);
    expect(r.body.result).toEqual({ identity: email, subject: `sub-${email}`, role: "viewer" });
  });

  it("no header: 401, code 100", async () => {
    refusedWith(await adminCall("GET", "/admin/v1/me"), 401, 100);
  });

  it("a bare email header alone is never trusted", async () => {
    const { email } = await admin("admin");
    const r = await adminCall("GET", "/admin/v1/me", {
      headers: { "Cf-Access-Authenticated-User-Email": email },
    });
    refusedWith(r, 401, 100);
  });

  it("a forged signature, another issuer, another audience, an expired token, garbage: refused", async () => {
    const { email } = await admin("admin");
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string, number, number][] = [
      ["forged", await accessToken(email, { key: forgerKey.privateKey }), 401, 101],
      ["wrong issuer", await accessToken(email, { iss: "https://evil.cloudflareaccess.com" }), 401, 101],
      ["wrong audience", await accessToken(email, { aud: ["0".repeat(64)] }), 401, 101],
      ["expired", await accessToken(email, { iat: now - 7200, exp: now - 3600 }), 401, 102],
      ["garbage", "not.a.jwt", 401, 101],
      ["no email", await accessToken("", { claims: { email: undefined } }), 401, 101],
    ];
    for (const [name, token, status, code] of cases) {
      const r = await adminCall("GET", "/admin/v1/me", { token });
      expect({ name, status: r.res.status, code: r.body.error?.code }).toEqual({ name, status, code });
    }
    // A tampered payload keeps the signature of another: refused too.
    const good = await accessToken(email);
    const [h, , s] = good.split(".");
    const payload = btoa(JSON.stringify({ email, sub: "x", iss: "x", aud: ACCESS_AUD, exp: now + 99 }))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    refusedWith(await adminCall("GET", "/admin/v1/me", { token: `${h}.${payload}.${s}` }), 401, 101);
  });

  it("an identity with no role, or a disabled one: 403, code 103, and the refusal is audited", async () => {
    const nobody = await admin(null);
    const r = await adminCall("GET", "/admin/v1/partners", { token: nobody.token });
    refusedWith(r, 403, 103);
    const audited = await db.select().from(adminAuditLog).where(eq(adminAuditLog.identity, nobody.email));
    expect(audited).toMatchObject([{ action: "partners.list", outcome: 403, role: null }]);

    const gone = await admin("admin");
    await db
      .update(adminIdentities)
      .set({ disabledAt: new Date().toISOString() })
      .where(eq(adminIdentities.identity, gone.email));
    refusedWith(await adminCall("GET", "/admin/v1/me", { token: gone.token }), 403, 103);
  });

  it("a partner's bearer token never reaches /admin, in either header", async () => {
    const partner = await provisionPartner();
    const token = await tokenFor(partner);
    refusedWith(
      await adminCall("GET", "/admin/v1/me", { headers: { Authorization: `Bearer ${token}` } }),
      401,
      100,
    );
    refusedWith(await adminCall("GET", "/admin/v1/me", { token }), 401, 101);
    refusedWith(
      await adminCall("GET", "/admin/openapi.json", { headers: { Authorization: `Bearer ${token}` } }),
      401,
      100,
    );
  });

  it("no admin operation answers a partner's token, in either header, and none changes anything", async () => {
    const viewer = await admin("viewer");
    const doc = (await adminCall("GET", "/admin/openapi.json", { token: viewer.token }))
      .body as OpenApiDocument;
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(15);
    const partner = await provisionPartner();
    const token = await tokenFor(partner);
    const before = await db.select().from(adminAuditLog);
    const id = partner.id;
    for (const op of ops) {
      const path = op.path
        .replace("{identity}", "x@bank.test")
        .replace("{product}", "fx")
        .replace(/\{\w+\}/g, id);
      const json =
        op.method === "GET" || op.method === "DELETE" ? undefined : { params: { reason: "partner" } };
      const bearer = await adminCall(op.method, path, {
        headers: { Authorization: `Bearer ${token}` },
        json,
      });
      expect([op.key, bearer.res.status, bearer.body.error.code]).toEqual([op.key, 401, 100]);
      const asAssertion = await adminCall(op.method, path, { token, json });
      expect([op.key, asAssertion.res.status, asAssertion.body.error.code]).toEqual([op.key, 401, 101]);
    }
    expect(await db.select().from(adminAuditLog)).toEqual(before);
    const [row] = await db.select().from(partners).where(eq(partners.id, id));
    expect(row?.status).toBe("active");
  });

  it("an admin's Access token never works on /v1", async () => {
    const { token } = await admin("admin");
    const asBearer = await adminCall("GET", "/v1/partner", { headers: { Authorization: `Bearer ${token}` } });
    expect(asBearer.res.status).toBe(401);
    expect(asBearer.body.error.code).toBe(11);
    const asAssertion = await adminCall("GET", "/v1/partner", { token });
    expect(asAssertion.res.status).toBe(401);
    expect(asAssertion.body.error.code).toBe(10);
  });

  it("unknown admin paths answer 404 only after authentication; wrong methods 405", async () => {
    refusedWith(await adminCall("GET", "/admin/v1/nothing-here"), 401, 100);
    const { token } = await admin("viewer");
    refusedWith(await adminCall("GET", "/admin/v1/nothing-here", { token }), 404, 31);
    refusedWith(await adminCall("DELETE", "/admin/v1/me", { token }), 405, 5);
  });

  it("without the Access settings the admin API answers 90 (and the rest of the gateway is unaffected)", async () => {
    const { token } = await admin("admin");
    const r = await adminCall("GET", "/admin/v1/me", {
      token,
      env: { ACCESS_TEAM_DOMAIN: "", ACCESS_AUD: "", ACCESS_JWKS: "" },
    });
    refusedWith(r, 503, 90);
  });

  it("production refuses a local JWKS and anything but a real Access team domain and AUD", () => {
    const base = { ...env, ENVIRONMENT: "production", WEBHOOK_ALLOW_LOOPBACK: "false" } as unknown as Env;
    expect(() => loadConfig({ ...base, ...ADMIN_ENV } as Env)).toThrow(/ACCESS_JWKS/);
    expect(() =>
      loadConfig({ ...base, ACCESS_TEAM_DOMAIN: "access.localhost", ACCESS_AUD: ACCESS_AUD } as Env),
    ).toThrow(/ACCESS_TEAM_DOMAIN/);
    expect(() =>
      loadConfig({ ...base, ACCESS_TEAM_DOMAIN: "portico.cloudflareaccess.com", ACCESS_AUD: "short" } as Env),
    ).toThrow(/ACCESS_TEAM_DOMAIN/);
    const ok = loadConfig({ ...base, ACCESS_TEAM_DOMAIN: "portico.cloudflareaccess.com", ACCESS_AUD } as Env);
    expect(ok.ACCESS_JWKS).toBeUndefined();
    expect(() => loadConfig({ ...env, ACCESS_TEAM_DOMAIN: "portico.cloudflareaccess.com" } as Env)).toThrow(
      /ACCESS_AUD/,
    );
  });

  it("the configured first admin is made admin on its first call, only while no active admin exists", async () => {
    const first = `first-${crypto.randomUUID().slice(0, 8)}@bank.test`;
    // Other tests' admins exist in this database: the bootstrap does not apply.
    await admin("admin");
    const refused = await adminCall("GET", "/admin/v1/me", {
      token: await accessToken(first),
      env: { ADMIN_BOOTSTRAP_EMAIL: first },
    });
    refusedWith(refused, 403, 103);
    expect(await db.select().from(adminIdentities).where(eq(adminIdentities.identity, first))).toEqual([]);
  });
});
