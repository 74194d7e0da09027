import { base64url, calculateJwkThumbprint, decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { registerTestClient, setSecurityProfile, tokenRequest } from "../../support/client-auth";
import {
  callWithCf,
  dpopKey,
  dpopTokenRequest,
  proof,
  randomHex,
  verifiedCertificate,
} from "../../support/dpop";
import { call } from "../../support/http";
import { provisionPartner } from "../../support/partners";

const hexToB64url = (hex: string) =>
  base64url.encode(Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16)));

async function certificateBound(fingerprint = randomHex()) {
  const partner = await provisionPartner();
  const { res, body } = await dpopTokenRequest(partner, undefined, { cf: verifiedCertificate(fingerprint) });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
  return { partner, fingerprint, token: body.access_token as string, body };
}

const read = (token: string, cf?: unknown) =>
  cf === undefined
    ? call("GET", "/v1/partner", { token })
    : callWithCf("GET", "/v1/partner", cf, { Authorization: `Bearer ${token}` });

describe("mutual-TLS-bound tokens (RFC 8705)", () => {
  it("SELF.fetch delivers `cf` to the Worker: the token is bound to the certificate (cnf.x5t#S256, Bearer)", async () => {
    const { token, fingerprint, body } = await certificateBound();
    expect(body.token_type).toBe("Bearer");
    expect(decodeJwt(token).cnf).toEqual({ "x5t#S256": hexToB64url(fingerprint) });
  });

  it("an unverified or revoked certificate binds nothing", async () => {
    const partner = await provisionPartner();
    const failed = verifiedCertificate();
    failed.tlsClientAuth.certVerified = "FAILED:self signed certificate";
    const a = await dpopTokenRequest(partner, undefined, { cf: failed });
    expect(decodeJwt(a.body.access_token).cnf).toBeUndefined();
    const revoked = verifiedCertificate();
    revoked.tlsClientAuth.certRevoked = "1";
    const b = await dpopTokenRequest(partner, undefined, { cf: revoked });
    expect(decodeJwt(b.body.access_token).cnf).toBeUndefined();
  });

  it("is accepted with the same certificate on every call", async () => {
    const { partner, token, fingerprint } = await certificateBound();
    for (let i = 0; i < 2; i++) {
      const { res, body } = await read(token, verifiedCertificate(fingerprint));
      expect(res.status).toBe(200);
      expect(body.result.id).toBe(partner.id);
    }
  });

  it("is refused without its certificate (code 244)", async () => {
    const { token } = await certificateBound();
    const { res, body } = await read(token);
    expect(res.status).toBe(401);
    expect(body.error).toMatchObject({ code: 244, reason: "client_certificate_required" });
    expect(res.headers.get("WWW-Authenticate")).toBe(
      'Bearer realm="oauth2-resource", error="invalid_token", error_description="The token is bound to a client certificate: present it over mutual TLS"',
    );
  });

  it("a stolen token is refused with another certificate (code 245) or an unverified one (244)", async () => {
    const { token, fingerprint } = await certificateBound();
    const other = await read(token, verifiedCertificate(randomHex()));
    expect(other.res.status).toBe(401);
    expect(other.body.error).toMatchObject({ code: 245, reason: "client_certificate_mismatch" });
    const unverified = verifiedCertificate(fingerprint);
    unverified.tlsClientAuth.certVerified = "FAILED:unknown issuer";
    const bad = await read(token, unverified);
    expect(bad.res.status).toBe(401);
    expect(bad.body.error.code).toBe(244);
  });

  it("a FAPI partner gets a certificate-bound token without DPoP", async () => {
    const partner = await provisionPartner();
    const fingerprint = randomHex();
    // The FAPI client authenticates with the same certificate (tls_client_auth): no secret.
    await registerTestClient(partner.id, { tls_client_certificate_sha256: fingerprint, redirect_uris: [] });
    await setSecurityProfile(partner.id, "fapi");
    const { res, body } = await tokenRequest(
      { grant_type: "client_credentials", client_id: partner.consumerKey },
      { cf: verifiedCertificate(fingerprint) },
    );
    expect(res.status).toBe(200);
    expect(body.token_type).toBe("Bearer");
    const ok = await read(body.access_token, verifiedCertificate(fingerprint));
    expect(ok.res.status).toBe(200);
  });

  it("binds to both the DPoP key and the certificate when both are shown, and checks both", async () => {
    const partner = await provisionPartner();
    const key = await dpopKey();
    const fingerprint = randomHex();
    const cf = verifiedCertificate(fingerprint);
    const first = await dpopTokenRequest(partner, await proof(key, "POST", "/oauth2/token"), { cf });
    const nonce = first.res.headers.get("DPoP-Nonce") ?? "";
    const { body } = await dpopTokenRequest(partner, await proof(key, "POST", "/oauth2/token", { nonce }), {
      cf,
    });
    expect(body.token_type).toBe("DPoP");
    const token = body.access_token as string;
    expect(decodeJwt(token).cnf).toEqual({
      jkt: await calculateJwkThumbprint(key.publicJwk, "sha256"),
      "x5t#S256": hexToB64url(fingerprint),
    });
    const headers = async () => ({
      Authorization: `DPoP ${token}`,
      DPoP: await proof(key, "GET", "/v1/partner", { accessToken: token }),
    });
    expect((await callWithCf("GET", "/v1/partner", cf, await headers())).res.status).toBe(200);
    const noCert = await call("GET", "/v1/partner", { headers: await headers() });
    expect(noCert.res.status).toBe(401);
    expect(noCert.body.error.code).toBe(244);
  });
});
