import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { edgeCertificate, registerTestClient, tokenRequest } from "../../support/client-auth";
import { basic } from "../../support/http";
import { provisionPartner, suspendPartner } from "../../support/partners";

const SUBJECT = "CN=client.partner.example,O=Partner Ltd,C=GB";
const FINGERPRINT = "3f".repeat(32);

async function certificatePartner(by: "subject" | "fingerprint" | "both" = "subject") {
  const p = await provisionPartner({ products: ["payments"] });
  await registerTestClient(p.id, {
    ...(by !== "fingerprint" ? { tls_client_auth_subject_dn: SUBJECT } : {}),
    ...(by !== "subject" ? { tls_client_certificate_sha256: FINGERPRINT.toUpperCase() } : {}),
    redirect_uris: [],
  });
  return p;
}

const params = (clientId: string) => ({ grant_type: "client_credentials", client_id: clientId });

const refusedWith = (
  r: { res: Response; body: { error: string; error_description: string } },
  text: RegExp,
) => {
  expect(r.res.status).toBe(401);
  expect(r.body.error).toBe("invalid_client");
  expect(r.body.error_description).toMatch(text);
  expect(r.body).not.toHaveProperty("access_token");
};

describe("tls_client_auth (RFC 8705 §2.1) at POST /oauth2/token", () => {
  it("issues a token for the registered subject DN the edge verified", async () => {
    const p = await certificatePartner("subject");
    const r = await tokenRequest(params(p.consumerKey), {
      cf: { tlsClientAuth: edgeCertificate({ certSubjectDN: SUBJECT }) },
    });
    expect(r.res.status).toBe(200);
    expect(decodeJwt(r.body.access_token)).toMatchObject({ sub: p.id, client_id: p.consumerKey });
  });

  it("issues a token for the registered certificate fingerprint (stored lower-case, compared whole)", async () => {
    const p = await certificatePartner("fingerprint");
    const ok = await tokenRequest(params(p.consumerKey), {
      cf: {
        tlsClientAuth: edgeCertificate({ certSubjectDN: "CN=anything", certFingerprintSHA256: FINGERPRINT }),
      },
    });
    expect(ok.res.status).toBe(200);
    refusedWith(
      await tokenRequest(params(p.consumerKey), {
        cf: { tlsClientAuth: edgeCertificate({ certFingerprintSHA256: `${FINGERPRINT.slice(0, 62)}00` }) },
      }),
      /not the one registered/,
    );
  });

  it("with both registered, the certificate must match both", async () => {
    const p = await certificatePartner("both");
    const good = edgeCertificate({ certSubjectDN: SUBJECT, certFingerprintSHA256: FINGERPRINT });
    expect((await tokenRequest(params(p.consumerKey), { cf: { tlsClientAuth: good } })).res.status).toBe(200);
    refusedWith(
      await tokenRequest(params(p.consumerKey), {
        cf: { tlsClientAuth: { ...good, certSubjectDN: "CN=other" } },
      }),
      /not the one registered/,
    );
  });

  it("refuses another certificate's subject (exact string: no case folding, no prefix)", async () => {
    const p = await certificatePartner("subject");
    for (const subject of ["CN=other.example,O=Partner Ltd,C=GB", SUBJECT.toLowerCase(), `${SUBJECT},OU=x`]) {
      refusedWith(
        await tokenRequest(params(p.consumerKey), {
          cf: { tlsClientAuth: edgeCertificate({ certSubjectDN: subject }) },
        }),
        /not the one registered/,
      );
    }
  });

  it("refuses a certificate the edge did not verify, or found revoked", async () => {
    const p = await certificatePartner("subject");
    for (const certVerified of ["FAILED:self signed certificate", "NONE", ""]) {
      refusedWith(
        await tokenRequest(params(p.consumerKey), {
          cf: { tlsClientAuth: edgeCertificate({ certSubjectDN: SUBJECT, certVerified }) },
        }),
        /did not verify/,
      );
    }
    refusedWith(
      await tokenRequest(params(p.consumerKey), {
        cf: { tlsClientAuth: edgeCertificate({ certSubjectDN: SUBJECT, certRevoked: "1" }) },
      }),
      /revoked/,
    );
  });

  it("without a certificate, client_id alone is no authentication", async () => {
    const p = await certificatePartner("subject");
    refusedWith(await tokenRequest(params(p.consumerKey)), /Client authentication required/);
    // certPresented 0: the edge saw no certificate.
    refusedWith(
      await tokenRequest(params(p.consumerKey), { cf: { tlsClientAuth: { certPresented: "0" } } }),
      /Client authentication required/,
    );
  });

  it("refuses a partner with no certificate registered, and an unknown client_id", async () => {
    const p = await provisionPartner();
    const cert = edgeCertificate({ certSubjectDN: SUBJECT });
    refusedWith(
      await tokenRequest(params(p.consumerKey), { cf: { tlsClientAuth: cert } }),
      /No certificate is registered/,
    );
    refusedWith(
      await tokenRequest(params("ck_test_unknown"), { cf: { tlsClientAuth: cert } }),
      /Client authentication failed/,
    );
  });

  it("a certificate beside a Basic header is the secret's request (the certificate may bind the token)", async () => {
    const p = await certificatePartner("subject");
    const wrong = await tokenRequest(
      { grant_type: "client_credentials" },
      {
        headers: { Authorization: basic(p.consumerKey, "cs_test_wrong") },
        cf: { tlsClientAuth: edgeCertificate({ certSubjectDN: SUBJECT }) },
      },
    );
    refusedWith(wrong, /Client authentication failed/);
  });

  it("a suspended partner's certificate gets no token", async () => {
    const p = await certificatePartner("subject");
    await suspendPartner(p.id);
    const r = await tokenRequest(params(p.consumerKey), {
      cf: { tlsClientAuth: edgeCertificate({ certSubjectDN: SUBJECT }) },
    });
    expect(r.res.status).toBe(400);
    expect(r.body).toMatchObject({
      error: "unauthorized_client",
      error_description: "The partner account is suspended",
    });
  });
});
