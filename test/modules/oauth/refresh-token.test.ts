import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { oauthRefreshTokens } from "../../../src/modules/oauth/grant-storage";
import { authorizationCodeGrant } from "../../../src/modules/oauth/grants/authorization-code";
import { refreshTokenGrant } from "../../../src/modules/oauth/grants/refresh-token";
import { sha256Hex } from "../../../src/platform/lib/ids";
import { call } from "../../support/http";
import { addCredential, db, provisionPartner } from "../../support/partners";
import {
  accessTokensOf,
  accounts,
  authorisedConsent,
  consentCode,
  consentTokens,
  exchange,
  grantContext,
  grantsOf,
  REDIRECT_URI,
  refresh,
  refreshRow,
  refreshTokensOf,
  revokedJtisOf,
} from "./consent-flow";

const INVALID = {
  error: "invalid_grant",
  error_description: "The refresh token is invalid, expired or revoked",
};

describe("grant_type=refresh_token", () => {
  it("rotates: a new access token and a new refresh token; the old one becomes rotated", async () => {
    const p = await provisionPartner();
    const first = await consentTokens(p);
    const r = await refresh(p, first.body.refresh_token);
    expect(r.res.status).toBe(200);
    expect(r.res.headers.get("Cache-Control")).toBe("no-store");
    expect(r.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      scope: "accounts:read",
      token_type: "Bearer",
      expires_in: 3600,
    });
    expect(r.body.refresh_token).not.toBe(first.body.refresh_token);
    const claims = decodeJwt(r.body.access_token);
    expect(claims).toMatchObject({
      consent_id: first.consentId,
      grant_id: decodeJwt(first.body.access_token).grant_id,
    });

    const old = await refreshRow(first.body.refresh_token);
    expect(old).toMatchObject({ status: "rotated", replacedBy: await sha256Hex(r.body.refresh_token) });
    expect(old?.usedAt).not.toBeNull();
    expect(await refreshRow(r.body.refresh_token)).toMatchObject({ status: "active", replacedBy: null });
    expect((await accessTokensOf(String(claims.grant_id))).map((a) => a.jti).sort()).toEqual(
      [decodeJwt(first.body.access_token).jti, claims.jti].sort(),
    );
    expect((await accounts(r.body.access_token)).res.status).toBe(200);
    // The next rotation takes the new token.
    expect((await refresh(p, r.body.refresh_token)).res.status).toBe(200);
  });

  it("attack: a refresh token reused revokes the whole chain", async () => {
    const p = await provisionPartner();
    const first = await consentTokens(p);
    const rotated = await refresh(p, first.body.refresh_token);
    expect(rotated.res.status).toBe(200);

    const replay = await refresh(p, first.body.refresh_token);
    expect(replay.res.status).toBe(400);
    expect(replay.body).toEqual(INVALID);

    const [grant] = await grantsOf(first.consentId);
    expect(grant).toMatchObject({ revokedReason: "refresh_token_reused" });
    expect(grant?.revokedAt).not.toBeNull();
    const statuses = (await refreshTokensOf(grant?.id ?? "")).map((t) => t.status).sort();
    expect(statuses).toEqual(["revoked", "rotated"]);
    // The rotated-in refresh token stops working…
    const next = await refresh(p, rotated.body.refresh_token);
    expect(next.res.status).toBe(400);
    expect(next.body).toEqual(INVALID);
    // …and so do the chain's access tokens.
    expect((await revokedJtisOf(p.id)).sort()).toEqual(
      [decodeJwt(first.body.access_token).jti, decodeJwt(rotated.body.access_token).jti].sort(),
    );
    for (const token of [first.body.access_token, rotated.body.access_token]) {
      const read = await accounts(token);
      expect(read.res.status).toBe(401);
      expect(read.body.error.code).toBe(11);
      expect((await call("GET", "/v1/partner", { token })).res.status).toBe(401);
    }
  });

  it("attack: two racing uses of one refresh token — exactly one wins, the loser counts as reuse", async () => {
    const p = await provisionPartner();
    const first = await consentTokens(p);
    const answers = await Promise.all([
      refresh(p, first.body.refresh_token),
      refresh(p, first.body.refresh_token),
    ]);
    const winners = answers.filter((a) => a.res.status === 200);
    const losers = answers.filter((a) => a.res.status !== 200);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]?.res.status).toBe(400);
    expect(losers[0]?.body).toEqual(INVALID);
    const [grant] = await grantsOf(first.consentId);
    expect(grant?.revokedReason).toBe("refresh_token_reused");
    // One rotation only: the original token, rotated once, and the winner's token (revoked with the chain).
    const rows = await refreshTokensOf(grant?.id ?? "");
    expect(rows).toHaveLength(2);
    expect(rows.filter((t) => t.status === "rotated")).toHaveLength(1);
    const winner = winners[0]?.body;
    expect((await refresh(p, winner.refresh_token)).res.status).toBe(400);
    expect((await accounts(winner.access_token)).res.status).toBe(401);
  });

  it("is bound to the client: another partner's, or another key's, use is refused and changes nothing", async () => {
    const p = await provisionPartner();
    const thief = await provisionPartner();
    const first = await consentTokens(p);
    const stolen = await refresh(thief, first.body.refresh_token);
    expect(stolen.res.status).toBe(400);
    expect(stolen.body).toEqual(INVALID);
    const otherKey = await refresh(await addCredential(p.id), first.body.refresh_token);
    expect(otherKey.res.status).toBe(400);
    expect(await refreshRow(first.body.refresh_token)).toMatchObject({ status: "active" });
    expect((await grantsOf(first.consentId))[0]?.revokedAt).toBeNull();
    expect((await refresh(p, first.body.refresh_token)).res.status).toBe(200);
  });

  it("is bound to the grant's DPoP key: another key, or none, is refused", async () => {
    const p = await provisionPartner();
    const { deps, client } = await grantContext(p);
    const c = await consentCode(p, { dpopJkt: "key-1" });
    const issued = await authorizationCodeGrant(
      deps,
      client,
      { code: c.code, redirect_uri: REDIRECT_URI, code_verifier: c.codeVerifier },
      { jkt: "key-1" },
    );
    const params = { refresh_token: issued.refresh_token ?? "" };
    for (const binding of [{ jkt: "key-2" }, {}, { "x5t#S256": "cert" }]) {
      await expect(refreshTokenGrant(deps, client, params, binding)).rejects.toMatchObject({
        error: "invalid_grant",
        description: "The refresh token is bound to another key or certificate",
      });
    }
    expect(await refreshRow(params.refresh_token)).toMatchObject({ status: "active" });
    const next = await refreshTokenGrant(deps, client, params, { jkt: "key-1" });
    expect(next.token_type).toBe("DPoP");
    expect(decodeJwt(next.access_token).cnf).toEqual({ jkt: "key-1" });
  });

  it("is bound to the grant's certificate", async () => {
    const p = await provisionPartner();
    const { deps, client } = await grantContext(p);
    const c = await consentCode(p);
    const issued = await authorizationCodeGrant(
      deps,
      client,
      { code: c.code, redirect_uri: REDIRECT_URI, code_verifier: c.codeVerifier },
      { "x5t#S256": "cert-a" },
    );
    const params = { refresh_token: issued.refresh_token ?? "" };
    await expect(refreshTokenGrant(deps, client, params, { "x5t#S256": "cert-b" })).rejects.toMatchObject({
      error: "invalid_grant",
    });
    const next = await refreshTokenGrant(deps, client, params, { "x5t#S256": "cert-a" });
    expect(decodeJwt(next.access_token).cnf).toEqual({ "x5t#S256": "cert-a" });
  });

  it("ends with the consent: a revoked consent refuses the refresh and revokes the grant", async () => {
    const p = await provisionPartner();
    const consent = await authorisedConsent(p);
    const c = await consentCode(p, { consentId: consent.id });
    const first = await exchange(p, c);
    await call("POST", `/v1/consents/${consent.id}/revoke`, { token: consent.token });
    const r = await refresh(p, first.body.refresh_token);
    expect(r.res.status).toBe(400);
    expect(r.body).toEqual({
      error: "invalid_grant",
      error_description: "The consent is Revoked; it cannot be used",
    });
    expect((await grantsOf(consent.id))[0]).toMatchObject({ revokedReason: "consent_revoked" });
    expect(await refreshRow(first.body.refresh_token)).toMatchObject({ status: "revoked" });
  });

  it("refuses an expired refresh token, an unknown one and a missing one", async () => {
    const p = await provisionPartner();
    const first = await consentTokens(p);
    await db
      .update(oauthRefreshTokens)
      .set({ expiresAt: "2020-01-01T00:00:00.000Z" })
      .where(eq(oauthRefreshTokens.tokenHash, await sha256Hex(first.body.refresh_token)));
    expect((await refresh(p, first.body.refresh_token)).body).toEqual(INVALID);
    expect((await refresh(p, "not-a-refresh-token")).body).toEqual(INVALID);
    const missing = await refresh(p, "");
    expect(missing.res.status).toBe(400);
    expect(missing.body).toEqual({
      error: "invalid_request",
      error_description: "refresh_token is required",
    });
  });

  it("may narrow the scope, never widen it", async () => {
    const p = await provisionPartner();
    const first = await consentTokens(p);
    const wide = await call("POST", "/oauth2/token", {
      headers: {
        Authorization: `Basic ${btoa(`${p.consumerKey}:${p.consumerSecret}`)}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: first.body.refresh_token,
        scope: "accounts:read payments:write",
      }).toString(),
    });
    expect(wide.res.status).toBe(400);
    expect(wide.body.error).toBe("invalid_scope");
    expect(await refreshRow(first.body.refresh_token)).toMatchObject({ status: "active" });
  });
});
