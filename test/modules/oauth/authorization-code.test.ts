import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { authorizationCodeGrant } from "../../../src/modules/oauth/grants/authorization-code";
import { oauthCodes } from "../../../src/modules/oauth/storage";
import { sha256Hex } from "../../../src/platform/lib/ids";
import { call } from "../../support/http";
import { addCredential, db, provisionPartner } from "../../support/partners";
import {
  accessTokensOf,
  accounts,
  authorisedConsent,
  consentCode,
  exchange,
  grantContext,
  grantsOf,
  REDIRECT_URI,
  refresh,
  refreshTokensOf,
  revokedJtisOf,
} from "./consent-flow";

const codeRow = async (code: string) =>
  (
    await db
      .select()
      .from(oauthCodes)
      .where(eq(oauthCodes.codeHash, await sha256Hex(code)))
  )[0];

describe("grant_type=authorization_code", () => {
  it("exchanges a code with its PKCE verifier for a consent-bound access token and a refresh token", async () => {
    const p = await provisionPartner();
    const consent = await authorisedConsent(p);
    const c = await consentCode(p, { consentId: consent.id });
    const { res, body } = await exchange(p, c);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      scope: "accounts:read",
      token_type: "Bearer",
      expires_in: 3600,
    });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({
      sub: p.id,
      client_id: p.consumerKey,
      consent_id: consent.id,
      scope: "accounts:read",
    });
    expect(claims.cnf).toBeUndefined();

    const [grant] = await grantsOf(consent.id);
    expect(grant).toMatchObject({
      id: claims.grant_id,
      partnerId: p.id,
      clientId: p.consumerKey,
      scope: "accounts:read",
      cnf: {},
      expiresAt: consent.expiresAt,
      revokedAt: null,
    });
    const grantId = grant?.id ?? "";
    const refreshRows = await refreshTokensOf(grantId);
    expect(refreshRows).toEqual([
      expect.objectContaining({
        tokenHash: await sha256Hex(body.refresh_token),
        status: "active",
        expiresAt: consent.expiresAt,
      }),
    ]);
    expect((await accessTokensOf(grantId)).map((r) => r.jti)).toEqual([claims.jti]);
    const code = await codeRow(c.code);
    expect(code?.grantId).toBe(grantId);
    expect(code?.usedAt).not.toBeNull();

    // The token reads its consent without a Consent-Id header.
    const read = await accounts(body.access_token);
    expect(read.res.status).toBe(200);
    expect(read.body.result.data.length).toBeGreaterThan(0);
  });

  it("attack: a code used twice — the second use is refused and revokes what the first issued", async () => {
    const p = await provisionPartner();
    const c = await consentCode(p);
    const first = await exchange(p, c);
    expect(first.res.status).toBe(200);
    expect((await accounts(first.body.access_token)).res.status).toBe(200);

    const second = await exchange(p, c);
    expect(second.res.status).toBe(400);
    expect(second.body).toEqual({
      error: "invalid_grant",
      error_description: "The authorization code is invalid, expired or already used",
    });

    const [grant] = await grantsOf(c.consentId);
    expect(grant?.revokedAt).not.toBeNull();
    expect(grant?.revokedReason).toBe("code_reused");
    expect((await refreshTokensOf(grant?.id ?? "")).map((r) => r.status)).toEqual(["revoked"]);
    expect(await revokedJtisOf(p.id)).toEqual([decodeJwt(first.body.access_token).jti]);
    // What the first exchange issued no longer works.
    const read = await accounts(first.body.access_token);
    expect(read.res.status).toBe(401);
    expect(read.body.error.code).toBe(11);
    const again = await refresh(p, first.body.refresh_token);
    expect(again.res.status).toBe(400);
    expect(again.body.error).toBe("invalid_grant");
  });

  it("attack: two racing exchanges of one code — one answer at most, and nothing it issued survives", async () => {
    const p = await provisionPartner();
    const c = await consentCode(p);
    const answers = await Promise.all([exchange(p, c), exchange(p, c)]);
    const statuses = answers.map((a) => a.res.status).sort();
    expect(statuses[1]).toBe(400);
    expect(answers.filter((a) => a.res.status === 200).length).toBeLessThanOrEqual(1);
    const grants = await grantsOf(c.consentId);
    for (const grant of grants) expect(grant.revokedAt).not.toBeNull();
    for (const a of answers.filter((x) => x.res.status === 200)) {
      expect((await accounts(a.body.access_token)).res.status).toBe(401);
    }
  });

  it("attack: a PKCE mismatch is refused, and the code is spent", async () => {
    const p = await provisionPartner();
    const c = await consentCode(p);
    const wrong = await exchange(p, c, { code_verifier: "x".repeat(43) });
    expect(wrong.res.status).toBe(400);
    expect(wrong.body).toEqual({
      error: "invalid_grant",
      error_description: "code_verifier does not match the code_challenge (S256)",
    });
    expect(await grantsOf(c.consentId)).toEqual([]);
    // The code was redeemed by the refused attempt: the right verifier comes too late.
    const right = await exchange(p, c);
    expect(right.res.status).toBe(400);
    expect(right.body.error).toBe("invalid_grant");
    expect(await grantsOf(c.consentId)).toEqual([]);
  });

  it("refuses a verifier of the wrong length or characters before touching the code (RFC 7636 §4.1)", async () => {
    const p = await provisionPartner();
    const c = await consentCode(p);
    for (const bad of ["a".repeat(42), "a".repeat(129), `${"a".repeat(42)}+`, `${"a".repeat(42)} `]) {
      const r = await exchange(p, c, { code_verifier: bad });
      expect(r.res.status).toBe(400);
      expect(r.body).toEqual({
        error: "invalid_request",
        error_description: "code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]",
      });
    }
    expect((await codeRow(c.code))?.usedAt).toBeNull();
    expect((await exchange(p, c)).res.status).toBe(200);
  });

  it("attack: a redirect_uri swap at the exchange is refused (exact match only)", async () => {
    const p = await provisionPartner();
    for (const swapped of [
      "https://attacker.example/callback",
      `${REDIRECT_URI}/`,
      `${REDIRECT_URI}?x=1`,
      REDIRECT_URI.toUpperCase(),
    ]) {
      const c = await consentCode(p);
      const r = await exchange(p, c, { redirect_uri: swapped });
      expect(r.res.status).toBe(400);
      expect(r.body).toEqual({
        error: "invalid_grant",
        error_description: "redirect_uri does not match the one of the authorization request",
      });
      expect(await grantsOf(c.consentId)).toEqual([]);
    }
  });

  it("refuses a code issued to another client: another partner's, or another consumer key of the partner", async () => {
    const owner = await provisionPartner();
    const thief = await provisionPartner();
    const stolen = await consentCode(owner);
    const r = await exchange(thief, stolen);
    expect(r.res.status).toBe(400);
    expect(r.body.error).toBe("invalid_grant");
    expect(await grantsOf(stolen.consentId)).toEqual([]);

    const second = await addCredential(owner.id);
    const other = await consentCode(owner);
    const viaOtherKey = await exchange(second, other);
    expect(viaOtherKey.res.status).toBe(400);
    expect(viaOtherKey.body.error).toBe("invalid_grant");
  });

  it("refuses an expired code (codes live 60 seconds) and an unknown one", async () => {
    const p = await provisionPartner();
    const old = await consentCode(p, { now: new Date(Date.now() - 61_000) });
    const expired = await exchange(p, old);
    expect(expired.res.status).toBe(400);
    expect(expired.body.error).toBe("invalid_grant");
    expect(await grantsOf(old.consentId)).toEqual([]);
    const unknown = await exchange(p, { code: "no-such-code", codeVerifier: old.codeVerifier });
    expect(unknown.res.status).toBe(400);
    expect(unknown.body.error).toBe("invalid_grant");
  });

  it("refuses a code whose consent is no longer Authorised", async () => {
    const p = await provisionPartner();
    const consent = await authorisedConsent(p);
    const c = await consentCode(p, { consentId: consent.id });
    const revoked = await call("POST", `/v1/consents/${consent.id}/revoke`, { token: consent.token });
    expect(revoked.body.result.status).toBe("Revoked");
    const r = await exchange(p, c);
    expect(r.res.status).toBe(400);
    expect(r.body).toEqual({
      error: "invalid_grant",
      error_description: "The consent is Revoked; it cannot be used",
    });
  });

  it("requires code, redirect_uri and code_verifier", async () => {
    const p = await provisionPartner();
    const c = await consentCode(p);
    for (const [missing, message] of [
      ["code", "code is required"],
      ["redirect_uri", "redirect_uri is required"],
      ["code_verifier", "code_verifier is required (PKCE, S256)"],
    ] as const) {
      const r = await exchange(p, c, { [missing]: "" });
      expect(r.res.status).toBe(400);
      expect(r.body).toEqual({ error: "invalid_request", error_description: message });
    }
    expect((await codeRow(c.code))?.usedAt).toBeNull();
  });

  it("a code bound to a DPoP key (dpop_jkt) needs that key: a bearer exchange is refused", async () => {
    const p = await provisionPartner();
    const c = await consentCode(p, { dpopJkt: "key-thumbprint" });
    const r = await exchange(p, c);
    expect(r.res.status).toBe(400);
    expect(r.body.error_description).toBe(
      "The DPoP key is not the one the authorization request was bound to",
    );
  });

  it("with the DPoP key the code was bound to: a DPoP token whose cnf, and grant, name the key", async () => {
    const p = await provisionPartner();
    const { deps, client } = await grantContext(p);
    const c = await consentCode(p, { dpopJkt: "jkt-of-the-key" });
    const params = { code: c.code, redirect_uri: REDIRECT_URI, code_verifier: c.codeVerifier };
    const other = await consentCode(p, { dpopJkt: "jkt-of-the-key" });
    await expect(
      authorizationCodeGrant(
        deps,
        client,
        { ...params, code: other.code, code_verifier: other.codeVerifier },
        {
          jkt: "another-key",
        },
      ),
    ).rejects.toMatchObject({ error: "invalid_grant" });
    const answer = await authorizationCodeGrant(deps, client, params, { jkt: "jkt-of-the-key" });
    expect(answer.token_type).toBe("DPoP");
    expect(decodeJwt(answer.access_token).cnf).toEqual({ jkt: "jkt-of-the-key" });
    const [grant] = await grantsOf(c.consentId);
    expect(grant?.cnf).toEqual({ jkt: "jkt-of-the-key" });
  });

  it("with a mutual-TLS certificate binding: a Bearer token whose cnf names the certificate", async () => {
    const p = await provisionPartner();
    const { deps, client } = await grantContext(p);
    const c = await consentCode(p);
    const answer = await authorizationCodeGrant(
      deps,
      client,
      { code: c.code, redirect_uri: REDIRECT_URI, code_verifier: c.codeVerifier },
      { "x5t#S256": "cert-thumbprint" },
    );
    expect(answer.token_type).toBe("Bearer");
    expect(decodeJwt(answer.access_token).cnf).toEqual({ "x5t#S256": "cert-thumbprint" });
    expect((await grantsOf(c.consentId))[0]?.cnf).toEqual({ "x5t#S256": "cert-thumbprint" });
  });
});
