import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { SANDBOX_ACCOUNT_IDS } from "../../../src/modules/accounts/connector/sandbox-data";
import { revokeGrant } from "../../../src/modules/oauth/grant-storage";
import { call, tokenFor } from "../../support/http";
import { db, provisionPartner } from "../../support/partners";
import { forgeToken } from "../../support/tokens";
import { accounts, authorisedConsent, consentCode, consentTokens, exchange } from "./consent-flow";

const { current } = SANDBOX_ACCOUNT_IDS;

describe("a consent-bound access token on the accounts routes", () => {
  it("reads its own consent without a Consent-Id header, on every accounts route", async () => {
    const p = await provisionPartner();
    const { body } = await consentTokens(p);
    const list = await accounts(body.access_token);
    expect(list.res.status).toBe(200);
    expect(list.body.result.data.map((a: { id: string }) => a.id)).toContain(current);
    for (const path of [`/v1/accounts/${current}/balances`, `/v1/accounts/${current}/transactions`]) {
      const r = await call("GET", path, { token: body.access_token });
      expect(r.res.status).toBe(200);
      expect(r.body.error).toBeNull();
    }
  });

  it("accepts a Consent-Id header naming its own consent (in any case)", async () => {
    const p = await provisionPartner();
    const { body, consentId } = await consentTokens(p);
    expect((await accounts(body.access_token, { "Consent-Id": consentId })).res.status).toBe(200);
    expect((await accounts(body.access_token, { "Consent-Id": consentId.toUpperCase() })).res.status).toBe(
      200,
    );
  });

  it("may read only its consent: a Consent-Id header naming another consent is 403, code 270", async () => {
    const p = await provisionPartner();
    const { body } = await consentTokens(p);
    const other = await authorisedConsent(p);
    const r = await accounts(body.access_token, { "Consent-Id": other.id });
    expect(r.res.status).toBe(403);
    expect(r.body.result).toBeNull();
    expect(r.body.error).toMatchObject({
      code: 270,
      message: "The access token reads with its own consent only; the Consent-Id header names another",
    });
  });

  it("the consent's rules still apply: its scopes (72) and its status (71)", async () => {
    const p = await provisionPartner();
    const consent = await authorisedConsent(p, ["accounts"]);
    const { body } = await exchange(p, await consentCode(p, { consentId: consent.id }));
    const balances = await call("GET", `/v1/accounts/${current}/balances`, { token: body.access_token });
    expect(balances.res.status).toBe(403);
    expect(balances.body.error.code).toBe(72);
    await call("POST", `/v1/consents/${consent.id}/revoke`, { token: consent.token });
    const revoked = await accounts(body.access_token);
    expect(revoked.res.status).toBe(403);
    expect(revoked.body.error.code).toBe(71);
  });

  it("a revoked grant stops its tokens at once, read where the consent is read (not from the profile cache)", async () => {
    const p = await provisionPartner();
    const { body } = await consentTokens(p);
    // The partner's profile is now cached in this isolate, listing no revoked token.
    expect((await accounts(body.access_token)).res.status).toBe(200);
    const grantId = String(decodeJwt(body.access_token).grant_id);
    await revokeGrant(db, grantId, "test", new Date().toISOString());
    const r = await accounts(body.access_token);
    expect(r.res.status).toBe(401);
    expect(r.body.error.code).toBe(11);
    expect(r.res.headers.get("WWW-Authenticate")).toContain("invalid_token");
  });

  it("attack: a token naming another partner's consent reads nothing (70)", async () => {
    const victim = await provisionPartner();
    const attacker = await provisionPartner();
    const foreign = await authorisedConsent(victim);
    const token = await forgeToken(attacker.id, attacker.consumerKey, {
      claims: { scope: "accounts:read", consent_id: foreign.id, grant_id: crypto.randomUUID() },
    });
    const r = await accounts(token);
    expect(r.res.status).toBe(403);
    expect(r.body.error.code).toBe(70);
  });

  it("tokens without a consent keep the Consent-Id header rule", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const missing = await accounts(token);
    expect(missing.res.status).toBe(403);
    expect(missing.body.error.code).toBe(70);
    const consent = await authorisedConsent(p);
    expect((await accounts(token, { "Consent-Id": consent.id })).res.status).toBe(200);
  });
});
