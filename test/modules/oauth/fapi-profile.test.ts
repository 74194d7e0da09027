import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { changedMembers, nextContract, sensitiveParts } from "../../../src/modules/admin/contract";
import { adminAuditLog } from "../../../src/modules/admin/storage";
import { FAPI_NO_SECRET } from "../../../src/modules/oauth/client-auth";
import { type ContractRow, partnerContracts, passwordFailures } from "../../../src/modules/partners/storage";
import { admin, adminCall } from "../../support/admin";
import {
  assertion,
  assertionParams,
  clientKey,
  edgeCertificate,
  fapiToken,
  registerTestClient,
  setSecurityProfile,
  tokenRequest,
} from "../../support/client-auth";
import { basic, call, requestToken, tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";

const contractOf = async (id: string) =>
  (await db.select().from(partnerContracts).where(eq(partnerContracts.partnerId, id)))[0];

async function fapiPartner() {
  const p = await provisionPartner({ products: ["payments"] });
  const key = await clientKey("ES256");
  await registerTestClient(p.id, {
    jwks: { keys: [key.publicJwk] },
    tls_client_auth_subject_dn: "CN=fapi.partner.example",
    redirect_uris: [],
  });
  await setSecurityProfile(p.id, "fapi");
  return { p, key };
}

const patch = (id: string, token: string, params: Record<string, unknown>) =>
  adminCall("PATCH", `/admin/v1/partners/${id}/contract`, { token, json: { params } });

describe("the FAPI profile at the token endpoint", () => {
  it("a FAPI partner trying a client secret: invalid_client, the same answer whether the secret is right or not", async () => {
    const { p } = await fapiPartner();
    const right = await requestToken(p);
    const wrong = await requestToken({
      consumerKey: p.consumerKey,
      consumerSecret: "cs_test_not_the_secret",
    });
    for (const r of [right, wrong]) {
      expect(r.res.status).toBe(401);
      expect(r.body).toEqual({ error: "invalid_client", error_description: FAPI_NO_SECRET });
      expect(r.res.headers.get("WWW-Authenticate")).toBe(wrong.res.headers.get("WWW-Authenticate"));
    }
  });

  it("a FAPI partner trying the password grant: refused with any method, no password checked", async () => {
    const { p, key } = await fapiPartner();
    const withSecret = await requestToken(p, {
      grant_type: "password",
      username: p.username,
      password: p.password,
    });
    expect(withSecret.body).toMatchObject({ error: "invalid_client", error_description: FAPI_NO_SECRET });
    const withKey = await fapiToken(key, p.consumerKey, {
      grant_type: "password",
      username: p.username,
      password: "wrong-password",
    });
    expect(withKey.res.status).toBe(400);
    expect(withKey.body).toMatchObject({
      error: "unauthorized_client",
      error_description: "The contract does not allow the password grant",
    });
    // No failed attempt was counted: the password was never looked at.
    expect(await db.select().from(passwordFailures).where(eq(passwordFailures.partnerId, p.id))).toEqual([]);
  });

  it("a FAPI partner authenticates with private_key_jwt or tls_client_auth", async () => {
    const { p, key } = await fapiPartner();
    expect((await fapiToken(key, p.consumerKey)).res.status).toBe(200);
    // Unbound, a FAPI client gets no token (FAPI 2.0: sender-constrained tokens only).
    const unbound = await tokenRequest(assertionParams(await assertion(key, p.consumerKey)));
    expect(unbound.res.status).toBe(400);
    expect(unbound.body.error).toBe("invalid_request");
    const mtls = await tokenRequest(
      { grant_type: "client_credentials", client_id: p.consumerKey },
      { cf: { tlsClientAuth: edgeCertificate({ certSubjectDN: "CN=fapi.partner.example" }) } },
    );
    expect(mtls.res.status).toBe(200);
  });

  it("a standard partner without the password grant is refused it; with it, the grant works", async () => {
    const p = await provisionPartner();
    await setSecurityProfile(p.id, "standard", false);
    const r = await requestToken(p, { grant_type: "password", username: p.username, password: p.password });
    expect(r.body).toMatchObject({ error: "unauthorized_client" });
    await setSecurityProfile(p.id, "standard", true);
    expect(
      (await requestToken(p, { grant_type: "password", username: p.username, password: p.password })).res
        .status,
    ).toBe(200);
  });

  it("GET /v1/partner shows the profile and the password grant", async () => {
    const { p } = await fapiPartner();
    // A certificate-bound token, presented with its certificate.
    const cf = { tlsClientAuth: edgeCertificate({ certSubjectDN: "CN=fapi.partner.example" }) };
    const token = (await tokenRequest({ grant_type: "client_credentials", client_id: p.consumerKey }, { cf }))
      .body.access_token;
    const me = await call("GET", "/v1/partner", { token, cf });
    expect(me.body.result).toMatchObject({ security_profile: "fapi", password_grant: false });
    const std = await provisionPartner();
    expect((await call("GET", "/v1/partner", { token: await tokenFor(std) })).body.result).toMatchObject({
      security_profile: "standard",
      password_grant: true,
    });
  });
});

describe("the profile switch in the admin contract", () => {
  it("moving to fapi without keys or a certificate is a validation error (400, code 252), nothing changes", async () => {
    const p = await provisionPartner();
    const op = await admin("operator");
    const before = await contractOf(p.id);
    const none = await patch(p.id, op.token, { security_profile: "fapi", reason: "FAPI onboarding" });
    expect(none.res.status).toBe(400);
    expect(none.body.error.code).toBe(252);
    // Redirect URIs alone are no way to authenticate.
    await registerTestClient(p.id, { redirect_uris: ["https://app.partner.example/cb"] });
    expect(
      (await patch(p.id, op.token, { security_profile: "fapi", reason: "FAPI onboarding" })).body.error.code,
    ).toBe(252);
    expect(await contractOf(p.id)).toEqual(before);
  });

  it("moving to fapi applies at once (it narrows): the secret stops working in this isolate at once", async () => {
    const p = await provisionPartner();
    const key = await clientKey();
    await registerTestClient(p.id, { jwks: { keys: [key.publicJwk] }, redirect_uris: [] });
    // The profile is cached by a first token.
    expect((await requestToken(p)).res.status).toBe(200);
    const op = await admin("operator");
    const r = await patch(p.id, op.token, { security_profile: "fapi", reason: "FAPI onboarding" });
    expect(r.res.status).toBe(200);
    expect(r.body.result.contract).toMatchObject({ security_profile: "fapi", password_grant: false });
    expect(await contractOf(p.id)).toMatchObject({ securityProfile: "fapi", passwordGrant: false });
    expect((await requestToken(p)).body).toEqual({
      error: "invalid_client",
      error_description: FAPI_NO_SECRET,
    });
    expect((await fapiToken(key, p.consumerKey)).res.status).toBe(200);
    const [entry] = (await db.select().from(adminAuditLog).where(eq(adminAuditLog.partnerId, p.id))).filter(
      (a) => a.action === "contract.change",
    );
    expect(entry?.diff?.after).toMatchObject({ security_profile: "fapi", password_grant: false });
    expect(entry?.diff?.before).toMatchObject({ security_profile: "standard", password_grant: true });
  });

  it("moving back to standard widens: a second approver, then the secret works again (the password grant stays off)", async () => {
    const { p } = await fapiPartner();
    const maker = await admin("approver", "maker");
    const checker = await admin("approver", "checker");
    const proposed = await patch(p.id, maker.token, {
      security_profile: "standard",
      reason: "back to the bank contract",
    });
    expect(proposed.res.status).toBe(202);
    expect(proposed.body.result).toMatchObject({
      status: "pending",
      change: { security_profile: "standard" },
      before: { security_profile: "fapi" },
    });
    expect((await contractOf(p.id))?.securityProfile).toBe("fapi");
    expect((await requestToken(p)).res.status).toBe(401);
    const approved = await adminCall("POST", `/admin/v1/approvals/${proposed.body.result.id}/approve`, {
      token: checker.token,
      json: { params: { reason: "checked" } },
    });
    expect(approved.res.status).toBe(200);
    expect(await contractOf(p.id)).toMatchObject({ securityProfile: "standard", passwordGrant: false });
    expect((await requestToken(p)).res.status).toBe(200);
    const pw = await requestToken(p, { grant_type: "password", username: p.username, password: p.password });
    expect(pw.body.error).toBe("unauthorized_client");
  });

  it("turning the password grant on needs a second approver; off applies at once; never under fapi", async () => {
    const p = await provisionPartner();
    const op = await admin("operator");
    const off = await patch(p.id, op.token, { password_grant: false, reason: "no more ROPC" });
    expect(off.res.status).toBe(200);
    expect(off.body.result.contract.password_grant).toBe(false);
    const on = await patch(p.id, (await admin("approver")).token, {
      password_grant: true,
      reason: "partner needs it",
    });
    expect(on.res.status).toBe(202);
    expect(on.body.result.change).toEqual({ password_grant: true });
    expect((await contractOf(p.id))?.passwordGrant).toBe(false);
    const { p: fapi } = await fapiPartner();
    const refused = await patch(fapi.id, op.token, { password_grant: true, reason: "x y z" });
    expect(refused.res.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 4, message: expect.stringContaining("password_grant") });
    const typo = await patch(fapi.id, op.token, { security_profile: "fapi2", reason: "x y z" });
    expect(typo.res.status).toBe(400);
  });

  it("the rules: to fapi narrows, back or the grant on widens, only what changes is carried", () => {
    const current = {
      partnerId: "p",
      products: ["payments"],
      scopes: ["partner:read"],
      tier: "standard",
      rateLimitPerSecond: null,
      dailyQuota: null,
      dataAccess: [],
      feeBps: 0,
      feeFixedMinor: 0,
      disputeFeeMinor: 0,
      corsOrigins: [],
      ipAllowlist: [],
      webhookDomains: [],
      apiVersion: "2026-12-01",
      securityProfile: "standard",
      passwordGrant: true,
      createdAt: "",
      updatedAt: "",
    } as ContractRow;
    const toFapi = nextContract(current, { security_profile: "fapi" });
    expect(sensitiveParts(current, toFapi)).toEqual([]);
    expect(changedMembers(current, toFapi)).toEqual({ securityProfile: "fapi", passwordGrant: false });
    const fapi = { ...current, securityProfile: "fapi", passwordGrant: false } as ContractRow;
    expect(sensitiveParts(fapi, nextContract(fapi, { security_profile: "standard" }))).toEqual([
      "security_profile",
    ]);
    expect(
      sensitiveParts(fapi, nextContract(fapi, { security_profile: "standard", password_grant: true })),
    ).toEqual(["security_profile", "password_grant"]);
    const noGrant = { ...current, passwordGrant: false };
    expect(sensitiveParts(noGrant, nextContract(noGrant, { password_grant: true }))).toEqual([
      "password_grant",
    ]);
    expect(sensitiveParts(current, nextContract(current, { password_grant: false }))).toEqual([]);
    expect(() => nextContract(fapi, { password_grant: true })).toThrow();
  });

  it("Basic with the right secret of a FAPI partner never reaches the password check nor a token", async () => {
    const { p } = await fapiPartner();
    const r = await call("POST", "/oauth2/token", {
      headers: { Authorization: basic(p.consumerKey, p.consumerSecret), "Content-Type": "application/json" },
      json: { grant_type: "client_credentials" },
    });
    expect(r.res.status).toBe(401);
    expect(r.body).not.toHaveProperty("access_token");
  });
});
