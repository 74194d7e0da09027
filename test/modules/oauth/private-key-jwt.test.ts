import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { decodeJwt, exportJWK } from "jose";
import { describe, expect, it } from "vitest";
import { oauthClients } from "../../../src/modules/oauth/storage";
import { credentialCache } from "../../../src/modules/partners/profile";
import { partnerCredentials, revokeCredential } from "../../../src/modules/partners/storage";
import {
  ASSERTION_TYPE,
  assertion,
  assertionParams,
  clientKey,
  registerTestClient,
  TOKEN_URL,
  tokenRequest,
  unsignedAssertion,
} from "../../support/client-auth";
import { basic, call } from "../../support/http";
import { addCredential, db, provisionPartner } from "../../support/partners";
import { receiver } from "../../support/webhooks";

async function registeredPartner(alg: "ES256" | "PS256" | "EdDSA" = "ES256") {
  const p = await provisionPartner({ products: ["payments"] });
  const key = await clientKey(alg);
  await registerTestClient(p.id, { jwks: { keys: [key.publicJwk] }, redirect_uris: [] });
  return { p, key };
}

const refusedWith = (
  r: { res: Response; body: { error: string; error_description: string } },
  text: RegExp,
) => {
  expect(r.res.status).toBe(401);
  expect(r.body.error).toBe("invalid_client");
  expect(r.body.error_description).toMatch(text);
  expect(r.body).not.toHaveProperty("access_token");
};

describe("private_key_jwt (RFC 7523) at POST /oauth2/token", () => {
  for (const alg of ["ES256", "PS256", "EdDSA"] as const) {
    it(`issues a token for an assertion signed with ${alg} by a registered key`, async () => {
      const { p, key } = await registeredPartner(alg);
      const r = await tokenRequest(assertionParams(await assertion(key, p.consumerKey)));
      expect(r.res.status).toBe(200);
      const claims = decodeJwt(r.body.access_token);
      expect(claims).toMatchObject({ sub: p.id, client_id: p.consumerKey });
      expect(r.body.scope.split(" ")).toContain("payments:read");
    });
  }

  it("accepts the issuer, the endpoint's URL or the token endpoint's URL as aud, and a matching client_id", async () => {
    const { p, key } = await registeredPartner();
    for (const aud of [
      env.ISSUER,
      TOKEN_URL,
      new URL("/oauth2/token", env.ISSUER).toString(),
      [env.ISSUER, "x"],
    ]) {
      const r = await tokenRequest(
        assertionParams(await assertion(key, p.consumerKey, { aud }), { client_id: p.consumerKey }),
      );
      expect(r.res.status, JSON.stringify(aud)).toBe(200);
    }
  });

  it("refuses an assertion signed with none", async () => {
    const { p } = await registeredPartner();
    refusedWith(
      await tokenRequest(assertionParams(unsignedAssertion(p.consumerKey, "none"))),
      /alg none is not accepted/,
    );
  });

  it("refuses an assertion signed with HS256", async () => {
    const { p } = await registeredPartner();
    refusedWith(
      await tokenRequest(assertionParams(unsignedAssertion(p.consumerKey, "HS256"))),
      /alg HS256 is not accepted/,
    );
  });

  it("refuses RS256, even by a registered-looking RSA key", async () => {
    const p = await provisionPartner();
    const rs = await clientKey("RS256");
    // RS256 cannot even be registered; the assertion is refused before any key is looked up.
    refusedWith(
      await tokenRequest(assertionParams(await assertion(rs, p.consumerKey))),
      /alg RS256 is not accepted/,
    );
  });

  it("refuses an expired assertion", async () => {
    const { p, key } = await registeredPartner();
    const now = Math.floor(Date.now() / 1000);
    const jwt = await assertion(key, p.consumerKey, { iat: now - 200, exp: now - 100 });
    refusedWith(await tokenRequest(assertionParams(jwt)), /expired/);
  });

  it("refuses an assertion without exp or jti, or living longer than five minutes", async () => {
    const { p, key } = await registeredPartner();
    const now = Math.floor(Date.now() / 1000);
    refusedWith(
      await tokenRequest(assertionParams(await assertion(key, p.consumerKey, { exp: undefined }))),
      /exp claim is missing/,
    );
    refusedWith(
      await tokenRequest(assertionParams(await assertion(key, p.consumerKey, { jti: undefined }))),
      /jti claim is missing/,
    );
    refusedWith(
      await tokenRequest(
        assertionParams(await assertion(key, p.consumerKey, { iat: undefined, exp: now + 3600 })),
      ),
      /more than 300 seconds ahead/,
    );
    refusedWith(
      await tokenRequest(
        assertionParams(await assertion(key, p.consumerKey, { iat: now - 290, exp: now + 60 })),
      ),
      /longer than 300 seconds/,
    );
    refusedWith(
      await tokenRequest(assertionParams(await assertion(key, p.consumerKey, { nbf: now + 600 }))),
      /not valid yet/,
    );
  });

  it("refuses a wrong aud", async () => {
    const { p, key } = await registeredPartner();
    const jwt = await assertion(key, p.consumerKey, { aud: "https://elsewhere.example/oauth2/token" });
    refusedWith(await tokenRequest(assertionParams(jwt)), /aud must be the issuer/);
  });

  it("refuses iss ≠ sub, and a client_id other than the assertion's", async () => {
    const { p, key } = await registeredPartner();
    const other = await addCredential(p.id);
    refusedWith(
      await tokenRequest(assertionParams(await assertion(key, p.consumerKey, { sub: other.consumerKey }))),
      /iss and sub must both be the client_id/,
    );
    refusedWith(
      await tokenRequest(
        assertionParams(await assertion(key, p.consumerKey), { client_id: other.consumerKey }),
      ),
      /client_id does not match/,
    );
  });

  it("refuses a replayed jti, across two requests", async () => {
    const { p, key } = await registeredPartner();
    const jwt = await assertion(key, p.consumerKey);
    expect((await tokenRequest(assertionParams(jwt))).res.status).toBe(200);
    refusedWith(await tokenRequest(assertionParams(jwt)), /jti was used already/);
    // The same jti in a new assertion is a replay too.
    const { jti } = decodeJwt(jwt);
    refusedWith(
      await tokenRequest(assertionParams(await assertion(key, p.consumerKey, { jti }))),
      /jti was used already/,
    );
  });

  it("refuses an unknown kid and a key not registered", async () => {
    const { p, key } = await registeredPartner();
    const stranger = await clientKey("ES256");
    refusedWith(
      await tokenRequest(assertionParams(await assertion(stranger, p.consumerKey))),
      /No registered key matches/,
    );
    // The registered kid, but signed by another key: the signature does not verify.
    const impostor = { ...stranger, kid: key.kid };
    refusedWith(
      await tokenRequest(assertionParams(await assertion(impostor, p.consumerKey))),
      /signature does not verify/,
    );
  });

  it("refuses a partner with no keys registered, an unknown client and a revoked credential", async () => {
    const bare = await provisionPartner();
    const key = await clientKey();
    refusedWith(
      await tokenRequest(assertionParams(await assertion(key, bare.consumerKey))),
      /No public keys are registered/,
    );
    refusedWith(
      await tokenRequest(assertionParams(await assertion(key, "ck_test_nobody"))),
      /Client authentication failed/,
    );
    const { p, key: k } = await registeredPartner();
    const [row] = await db
      .select()
      .from(partnerCredentials)
      .where(eq(partnerCredentials.consumerKey, p.consumerKey));
    await revokeCredential(db, p.id, row?.id ?? "");
    credentialCache.invalidate(p.consumerKey);
    refusedWith(
      await tokenRequest(assertionParams(await assertion(k, p.consumerKey))),
      /Client authentication failed/,
    );
  });

  it("refuses another assertion type, and a production client_id in the sandbox", async () => {
    const { p, key } = await registeredPartner();
    const jwt = await assertion(key, p.consumerKey);
    refusedWith(
      await tokenRequest({
        ...assertionParams(jwt),
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
      }),
      /client_assertion_type must be/,
    );
    const prod = await assertion(key, "ck_live_abc", { iss: "ck_live_abc", sub: "ck_live_abc" });
    refusedWith(await tokenRequest(assertionParams(prod)), /production credential/);
    const missing = await tokenRequest({
      grant_type: "client_credentials",
      client_assertion_type: ASSERTION_TYPE,
    });
    expect(missing.res.status).toBe(400);
    expect(missing.body.error).toBe("invalid_request");
  });

  it("refuses two methods in one request (assertion and Basic): invalid_request", async () => {
    const { p, key } = await registeredPartner();
    const r = await tokenRequest(assertionParams(await assertion(key, p.consumerKey)), {
      headers: { Authorization: basic(p.consumerKey, p.consumerSecret) },
    });
    expect(r.res.status).toBe(400);
    expect(r.body).toMatchObject({
      error: "invalid_request",
      error_description: expect.stringMatching(/one client authentication method/),
    });
  });

  it("a standard partner with keys may still use its secret", async () => {
    const { p } = await registeredPartner();
    const r = await call("POST", "/oauth2/token", {
      headers: {
        Authorization: basic(p.consumerKey, p.consumerSecret),
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    expect(r.res.status).toBe(200);
  });
});

describe("private_key_jwt with a jwks_uri (served over real HTTP)", () => {
  it("fetches the keys, caches them, and refetches once for an unknown kid", async () => {
    const p = await provisionPartner();
    const first = await clientKey("ES256");
    const hook = receiver();
    await hook.script({ body: JSON.stringify({ keys: [first.publicJwk] }) });
    await registerTestClient(p.id, { jwks_uri: hook.url, redirect_uris: [] });

    expect((await tokenRequest(assertionParams(await assertion(first, p.consumerKey)))).res.status).toBe(200);
    expect((await tokenRequest(assertionParams(await assertion(first, p.consumerKey)))).res.status).toBe(200);
    expect((await hook.received()).length).toBe(1);

    // The client rotates: its document now holds a second key; the first assertion with it refetches.
    const second = await clientKey("EdDSA");
    await hook.script({ body: JSON.stringify({ keys: [first.publicJwk, second.publicJwk] }) });
    expect((await tokenRequest(assertionParams(await assertion(second, p.consumerKey)))).res.status).toBe(
      200,
    );
    expect((await hook.received()).length).toBe(2);
    expect((await hook.received())[0]?.headers.accept).toMatch(/application\/json/);

    // A kid nobody publishes costs one refetch and is refused.
    const stranger = await clientKey("ES256");
    refusedWith(
      await tokenRequest(assertionParams(await assertion(stranger, p.consumerKey))),
      /No registered key matches/,
    );
    expect((await hook.received()).length).toBe(3);
  });

  it("refuses a document with a private key, a failing or oversized answer", async () => {
    const key = await clientKey("ES256");
    const privateJwk = { ...(await exportJWK(key.privateKey)), kid: key.kid };
    for (const script of [
      { body: JSON.stringify({ keys: [privateJwk] }) },
      { fail: 5, status: 500 },
      { body: JSON.stringify({ keys: [key.publicJwk], pad: "x".repeat(70_000) }) },
    ]) {
      const p = await provisionPartner();
      const hook = receiver();
      await hook.script(script);
      await registerTestClient(p.id, { jwks_uri: hook.url, redirect_uris: [] });
      refusedWith(
        await tokenRequest(assertionParams(await assertion(key, p.consumerKey))),
        /jwks_uri could not be fetched/,
      );
      // Fetched once: a failure is not retried within the request, nor kept for the next.
      expect((await hook.received()).length).toBe(1);
    }
  });

  it("the SSRF guard refuses a private address, at registration and again at the fetch", async () => {
    const p = await provisionPartner();
    await expect(
      registerTestClient(p.id, { jwks_uri: "http://10.0.0.7/jwks.json", redirect_uris: [] }),
    ).rejects.toMatchObject({
      reason: "oauth_client_invalid",
    });
    // Stored past the guard (as if the rules had changed since): the fetch is refused, nothing leaves.
    const now = new Date().toISOString();
    await db.insert(oauthClients).values({
      partnerId: p.id,
      jwks: null,
      jwksUri: "http://192.168.1.20/jwks.json",
      tlsClientAuthSubjectDn: null,
      tlsClientCertificateSha256: null,
      redirectUris: [],
      createdAt: now,
      updatedAt: now,
    });
    const key = await clientKey();
    refusedWith(
      await tokenRequest(assertionParams(await assertion(key, p.consumerKey))),
      /jwks_uri could not be fetched/,
    );
  });
});
