import { eq } from "drizzle-orm";
import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { oauthClients } from "../../../src/modules/oauth/storage";
import {
  assertion,
  assertionParams,
  clientKey,
  edgeCertificate,
  setSecurityProfile,
  tokenRequest,
} from "../../support/client-auth";
import { call, tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

const PATH = "/v1/partner/oauth-client";
const stored = async (partnerId: string) =>
  (await db.select().from(oauthClients).where(eq(oauthClients.partnerId, partnerId)))[0];

async function put(token: string, params: unknown) {
  return call("PUT", PATH, { token, json: { params } });
}

const validBody = async () => ({
  jwks: { keys: [(await clientKey("ES256", "k1")).publicJwk] },
  redirect_uris: ["https://app.partner.example/cb"],
});

securitySuite({
  method: "GET",
  path: PATH,
  product: null,
  scope: "partner:read",
  prepare: async (p) => {
    await put(await tokenFor(p), { redirect_uris: [] });
  },
});
securitySuite({
  method: "PUT",
  path: PATH,
  product: null,
  scope: "partner:write",
  json: { params: { redirect_uris: [] } },
});

describe("GET/PUT /v1/partner/oauth-client", () => {
  it("404, code 250, before the first registration; then the registration as stored", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const none = await call("GET", PATH, { token });
    expect(none.res.status).toBe(404);
    expect(none.body.error.code).toBe(250);

    const key = await clientKey("ES256", "k1");
    const saved = await put(token, {
      jwks: { keys: [{ ...key.publicJwk, use: "sig", x5t: "ignored" }] },
      tls_client_auth_subject_dn: "CN=client.partner.example,O=Partner Ltd",
      redirect_uris: [
        "https://app.partner.example/cb",
        "https://app.partner.example/cb",
        "http://localhost:3000/cb",
      ],
    });
    expect(saved.res.status).toBe(200);
    expect(saved.body.result).toMatchObject({
      object: "oauth_client",
      partner_id: p.id,
      security_profile: "standard",
      token_endpoint_auth_methods: ["client_secret_basic", "private_key_jwt", "tls_client_auth"],
      jwks_uri: null,
      tls_client_auth_subject_dn: "CN=client.partner.example,O=Partner Ltd",
      tls_client_certificate_sha256: null,
      redirect_uris: ["https://app.partner.example/cb", "http://localhost:3000/cb"],
    });
    // Only the public members are kept, with the algorithm the key type signs with.
    const { x, y, crv, kid } = key.publicJwk;
    expect(saved.body.result.jwks).toEqual({
      keys: [{ kty: "EC", kid, alg: "ES256", use: "sig", crv, x, y }],
    });
    const row = await stored(p.id);
    expect(row?.jwks).toEqual(saved.body.result.jwks);
    expect(row?.redirectUris).toEqual(["https://app.partner.example/cb", "http://localhost:3000/cb"]);

    const read = await call("GET", PATH, { token });
    expect(read.body.result).toEqual(saved.body.result);
    // The registered key authenticates at once (this isolate's cache was cleared).
    const r = await tokenRequest(assertionParams(await assertion(key, p.consumerKey)));
    expect(r.res.status).toBe(200);
  });

  it("replaces the registration whole: a member left out is removed, and a repeat changes nothing", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    await put(token, { ...(await validBody()), tls_client_certificate_sha256: `${"AB:".repeat(31)}AB` });
    expect((await stored(p.id))?.tlsClientCertificateSha256).toBe("ab".repeat(32));
    const second = { redirect_uris: ["https://app.partner.example/cb2"] };
    const a = await put(token, second);
    const b = await put(token, second);
    expect(a.res.status).toBe(200);
    expect(b.body.result).toMatchObject({
      jwks: null,
      tls_client_certificate_sha256: null,
      redirect_uris: second.redirect_uris,
    });
    expect(b.body.result.created_at).toBe(a.body.result.created_at);
    const row = await stored(p.id);
    expect(row).toMatchObject({
      jwks: null,
      jwksUri: null,
      tlsClientCertificateSha256: null,
      redirectUris: second.redirect_uris,
    });
  });

  it("refuses what is not a public key of an allowed type (400, code 251), storing nothing", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const es = await clientKey("ES256", "es");
    const rsa = await clientKey("RS256", "rsa");
    const { privateKey: p384 } = await generateKeyPair("ES384", { extractable: true });
    const cases: [unknown, RegExp][] = [
      [{ keys: [{ ...(await exportJWK(es.privateKey)), kid: "es" }] }, /private or symmetric member "d"/],
      [{ keys: [{ kty: "oct", k: "c2VjcmV0", kid: "hmac" }] }, /./],
      [{ keys: [{ ...(await exportJWK(p384)), d: undefined, kid: "p384" }] }, /./],
      [{ keys: [{ ...rsa.publicJwk, alg: "RS256" }] }, /./],
      [{ keys: [{ ...es.publicJwk, kid: undefined }] }, /./],
      [{ keys: [es.publicJwk, es.publicJwk] }, /appears twice/],
      [{ keys: [{ ...es.publicJwk, x: "AAAA" }] }, /not a valid key/],
      [{ keys: [{ ...es.publicJwk, use: "enc" }] }, /./],
      [{ keys: Array.from({ length: 11 }, (_, i) => ({ ...es.publicJwk, kid: `k${i}` })) }, /./],
      [{ keys: [] }, /./],
    ];
    for (const [jwks, why] of cases) {
      const r = await put(token, { jwks, redirect_uris: [] });
      expect(r.res.status, JSON.stringify(jwks).slice(0, 80)).toBe(400);
      expect([251, 4]).toContain(r.body.error.code);
      expect(r.body.error.message).toMatch(why);
    }
    // A small RSA key is refused; a 2048-bit one for PS256 is taken.
    const ps = await clientKey("PS256", "ps");
    // A 1024-bit modulus (the first 128 bytes of a 2048-bit one).
    const small = { ...ps.publicJwk, kid: "weak", n: String(ps.publicJwk.n).slice(0, 171) };
    const weak = await put(token, { jwks: { keys: [small] }, redirect_uris: [] });
    expect(weak.body.error).toMatchObject({
      code: 251,
      message: expect.stringMatching(/at least 2048 bits/),
    });
    expect(await stored(p.id)).toBeUndefined();
    expect((await put(token, { jwks: { keys: [ps.publicJwk] }, redirect_uris: [] })).res.status).toBe(200);
  });

  it("refuses jwks with jwks_uri, an unsafe jwks_uri, and bad redirect URIs", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const body = await validBody();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...body, jwks_uri: "https://partner.example/jwks" }, /not both/],
      [{ jwks_uri: "http://10.1.2.3/jwks", redirect_uris: [] }, /jwks_uri: the host is a private address/],
      [{ jwks_uri: "http://169.254.169.254/latest", redirect_uris: [] }, /link-local/],
      [{ jwks_uri: "https://user:pw@partner.example/jwks", redirect_uris: [] }, /user name or password/],
      [{ redirect_uris: ["/relative"] }, /not an absolute URL/],
      [{ redirect_uris: ["https://app.example/cb#frag"] }, /fragment/],
      [{ redirect_uris: ["http://app.example/cb"] }, /must use https/],
      [{ redirect_uris: ["https://*.example/cb"] }, /wildcard/],
      [{ redirect_uris: Array.from({ length: 11 }, (_, i) => `https://app.example/${i}`) }, /./],
      [{ jwks: body.jwks }, /redirect_uris/],
    ];
    for (const [params, why] of cases) {
      const r = await put(token, params);
      expect(r.res.status, JSON.stringify(params).slice(0, 80)).toBe(400);
      expect(r.body.error.message).toMatch(why);
    }
    expect(await stored(p.id)).toBeUndefined();
  });

  it("a malformed body, unknown members and wrong types are refused", async () => {
    const token = await tokenFor(await provisionPartner());
    const bad = await call("PUT", PATH, {
      token,
      body: "{",
      headers: { "Content-Type": "application/json" },
    });
    expect(bad.res.status).toBe(400);
    expect(bad.body.error.code).toBe(2);
    for (const params of [
      { redirect_uris: "https://x.example" },
      { redirect_uris: [], client_secret: "x" },
      { redirect_uris: [1] },
    ]) {
      const r = await put(token, params);
      expect(r.res.status).toBe(400);
      expect([3, 4]).toContain(r.body.error.code);
    }
    const wrongMethod = await call("DELETE", PATH, { token });
    expect(wrongMethod.res.status).toBe(405);
  });

  it("a FAPI partner cannot remove its last keys (400, code 252)", async () => {
    const p = await provisionPartner();
    const subject = "CN=fapi.partner.example";
    await put(await tokenFor(p), { ...(await validBody()), tls_client_auth_subject_dn: subject });
    await setSecurityProfile(p.id, "fapi");
    // A FAPI partner's calls carry a sender-constrained token: here bound to its certificate.
    const cf = { tlsClientAuth: edgeCertificate({ certSubjectDN: subject }) };
    const token = (await tokenRequest({ grant_type: "client_credentials", client_id: p.consumerKey }, { cf }))
      .body.access_token;
    const r = await call("PUT", PATH, { token, cf, json: { params: { redirect_uris: [] } } });
    expect(r.res.status).toBe(400);
    expect(r.body.error.code).toBe(252);
    expect((await stored(p.id))?.jwks).not.toBeNull();
    const view = await call("GET", PATH, { token, cf });
    expect(view.body.result).toMatchObject({
      security_profile: "fapi",
      token_endpoint_auth_methods: ["private_key_jwt", "tls_client_auth"],
    });
  });
});
