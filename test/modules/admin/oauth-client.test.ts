import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminAuditLog } from "../../../src/modules/admin/storage";
import { oauthClients } from "../../../src/modules/oauth/storage";
import { admin, adminCall, expectDocumented } from "../../support/admin";
import {
  assertion,
  assertionParams,
  clientKey,
  setSecurityProfile,
  tokenRequest,
} from "../../support/client-auth";
import { db, provisionPartner } from "../../support/partners";

const path = (id: string) => `/admin/v1/partners/${id}/oauth-client`;
const stored = async (id: string) =>
  (await db.select().from(oauthClients).where(eq(oauthClients.partnerId, id)))[0];
const auditOf = (id: string) =>
  db.select().from(adminAuditLog).where(eq(adminAuditLog.partnerId, id)).orderBy(adminAuditLog.id);

describe("admin: GET/PUT /admin/v1/partners/{id}/oauth-client", () => {
  it("an operator registers a partner's keys, audited with the reason; a viewer reads them", async () => {
    const p = await provisionPartner();
    const viewer = await admin("viewer");
    const op = await admin("operator");
    const none = await adminCall("GET", path(p.id), { token: viewer.token });
    expect(none.res.status).toBe(404);
    expect(none.body.error.code).toBe(250);

    const key = await clientKey("EdDSA", "ed-1");
    const put = await adminCall("PUT", path(p.id), {
      token: op.token,
      json: {
        params: {
          jwks: { keys: [key.publicJwk] },
          redirect_uris: ["https://app.partner.example/cb"],
          reason: "partner sent its keys by ticket 4711",
        },
      },
    });
    expect(put.res.status).toBe(200);
    expect(put.body.result).toMatchObject({
      object: "oauth_client",
      partner_id: p.id,
      token_endpoint_auth_methods: ["client_secret_basic", "private_key_jwt"],
      redirect_uris: ["https://app.partner.example/cb"],
    });
    expect((await stored(p.id))?.jwks?.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: "ed-1" });
    const read = await adminCall("GET", path(p.id), { token: viewer.token });
    expect(read.body.result).toEqual(put.body.result);
    expect((await tokenRequest(assertionParams(await assertion(key, p.consumerKey)))).res.status).toBe(200);

    const entries = (await auditOf(p.id)).filter((a) => a.action === "oauth_client.register");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      identity: op.email,
      role: "operator",
      outcome: 200,
      reason: "partner sent its keys by ticket 4711",
    });
    expect(entries[0]?.diff?.before).toBeNull();
    expect(entries[0]?.diff?.after).toMatchObject({
      jwks: { keys: [{ kid: "ed-1" }] },
      token_endpoint_auth_methods: ["client_secret_basic", "private_key_jwt"],
    });
    await expectDocumented("adminPutOAuthClient", [[200], [400, 251], [400, 252]]);
    await expectDocumented("adminGetOAuthClient", [[200], [404, 250]]);
  });

  it("a viewer cannot register; an unknown partner is 404; a bad registration or no reason is 400", async () => {
    const p = await provisionPartner();
    const viewer = await admin("viewer");
    const op = await admin("operator");
    const body = { params: { redirect_uris: [], reason: "set it up" } };
    const denied = await adminCall("PUT", path(p.id), { token: viewer.token, json: body });
    expect(denied.res.status).toBe(403);
    expect(denied.body.error.code).toBe(104);
    const unknown = await adminCall("PUT", path(crypto.randomUUID()), { token: op.token, json: body });
    expect(unknown.res.status).toBe(404);
    const noReason = await adminCall("PUT", path(p.id), {
      token: op.token,
      json: { params: { redirect_uris: [] } },
    });
    expect(noReason.res.status).toBe(400);
    const bad = await adminCall("PUT", path(p.id), {
      token: op.token,
      json: { params: { redirect_uris: ["http://app.example/cb"], reason: "set it up" } },
    });
    expect(bad.body.error.code).toBe(251);
    const unauthenticated = await adminCall("GET", path(p.id));
    expect(unauthenticated.res.status).toBe(401);
    expect(await stored(p.id)).toBeUndefined();
  });

  it("under a FAPI contract the registration keeps keys or a certificate (400, code 252)", async () => {
    const p = await provisionPartner();
    const op = await admin("operator");
    const key = await clientKey();
    const first = await adminCall("PUT", path(p.id), {
      token: op.token,
      json: { params: { jwks: { keys: [key.publicJwk] }, redirect_uris: [], reason: "keys" } },
    });
    expect(first.res.status).toBe(200);
    await setSecurityProfile(p.id, "fapi");
    const stripped = await adminCall("PUT", path(p.id), {
      token: op.token,
      json: { params: { redirect_uris: [], reason: "strip" } },
    });
    expect(stripped.res.status).toBe(400);
    expect(stripped.body.error.code).toBe(252);
    // Swapping keys for a certificate is fine.
    const cert = await adminCall("PUT", path(p.id), {
      token: op.token,
      json: {
        params: { tls_client_certificate_sha256: "0f".repeat(32), redirect_uris: [], reason: "mTLS now" },
      },
    });
    expect(cert.res.status).toBe(200);
    expect(cert.body.result).toMatchObject({
      security_profile: "fapi",
      token_endpoint_auth_methods: ["tls_client_auth"],
    });
    expect(await stored(p.id)).toMatchObject({ jwks: null, tlsClientCertificateSha256: "0f".repeat(32) });
  });
});
