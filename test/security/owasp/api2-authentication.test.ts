import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SANDBOX_SMS_CODE } from "../../../src/modules/cards/connector/sandbox";
import { SMS_CODE_MAX_ATTEMPTS } from "../../../src/modules/cards/model";
import { WWW_AUTHENTICATE } from "../../../src/modules/partners/authenticate";
import { PASSWORD_MAX_FAILURES } from "../../../src/modules/partners/lockout";
import { type Operation, takesPublishableKey } from "../../contract/openapi";
import { attachment, type FixtureContext, made, publishableKey } from "../../contract/prerequisites";
import { type ContractRequest, exchangeOf, toRequest } from "../../contract/request";
import { BASE, basic, call, requestToken, tokenFor } from "../../support/http";
import { addCredential, provisionPartner } from "../../support/partners";
import { forgeToken, retiredKey } from "../../support/tokens";
import {
  changedSince,
  entitled,
  expectEnvelope,
  ok,
  rekeyed,
  scopeOf,
  send,
  settledState,
  v1,
  validRequest,
} from "./support";

// OWASP API2:2023. Tokens: every operation the document lists, sent its valid request with a
// bad token of each kind, refuses with the envelope and changes nothing (the per-route security
// suite, test/support/security-suite.ts, checks more kinds on the routes module tests list).
// Brute force: the password grant's lockout is test/modules/partners/lockout.test.ts; here,
// that it holds across the partner's consumer keys, and the card-attach SMS code's attempt limit.

/** The request under another Authorization header (none for null), with a fresh Idempotency-Key. */
const withAuth = (op: Operation, req: ContractRequest, authorization: string | null): ContractRequest => {
  const keyed = rekeyed(op, req);
  const headers = { ...keyed.headers };
  if (authorization === null) delete headers.Authorization;
  else headers.Authorization = authorization;
  return { ...keyed, headers };
};

const sendSeeingHeaders = async (req: ContractRequest) => {
  const res = await SELF.fetch(toRequest(BASE, req));
  return { ex: await exchangeOf(req, res), challenge: res.headers.get("WWW-Authenticate") };
};

describe("OWASP API2:2023 Broken Authentication", () => {
  it("every /v1 operation documents an OAuth 2.0 scope, or a publishable key: none is public", () => {
    expect(v1.length).toBeGreaterThan(60);
    expect(
      v1.filter((op) => scopeOf(op) === undefined && !takesPublishableKey(op)).map((op) => op.key),
    ).toEqual([]);
    // A publishable key is public by design: it opens POST /v1/tokens and nothing else.
    expect(v1.filter(takesPublishableKey).map((op) => op.key)).toEqual(["POST /v1/tokens"]);
  });

  for (const op of v1.filter(takesPublishableKey)) {
    it(`${op.key} refuses a missing, unknown, ended or other-environment publishable key, and an access token`, async () => {
      const ctx = await entitled();
      const p = ctx.partner;
      const valid = await validRequest(op, ctx);
      const ended = await publishableKey(ctx);
      // A new key with no overlap ends the earlier ones at once.
      await made(ctx, "POST", "/v1/partner/publishable_keys", { overlap_seconds: 0 });
      const key = await publishableKey(ctx);
      const [h, c, s = ""] = ctx.token.split(".");
      const iat = Math.floor(Date.now() / 1000) - 7200;
      // [what, Authorization, code, WWW-Authenticate]: every refusal carries the bearer challenge.
      const cases: [string, string | null, number, string][] = [
        ["no key", null, 10, WWW_AUTHENTICATE.missing],
        ["Basic credentials", basic(p.consumerKey, p.consumerSecret), 10, WWW_AUTHENTICATE.missing],
        ["an unknown key", `Bearer pk_test_${"A".repeat(32)}`, 11, WWW_AUTHENTICATE.invalid],
        ["an ended key", `Bearer ${ended}`, 11, WWW_AUTHENTICATE.invalid],
        ["a production key", `Bearer pk_live_${key.slice("pk_test_".length)}`, 13, WWW_AUTHENTICATE.invalid],
        // An access token, however good, is not this route's credential.
        ["the partner's access token", `Bearer ${ctx.token}`, 181, WWW_AUTHENTICATE.invalid],
        [
          "a tampered access token",
          `Bearer ${h}.${c}.${s.startsWith("A") ? "B" : "A"}${s.slice(1)}`,
          181,
          WWW_AUTHENTICATE.invalid,
        ],
        [
          "an expired access token",
          `Bearer ${await forgeToken(p.id, p.consumerKey, { iat, exp: iat + 3600 })}`,
          181,
          WWW_AUTHENTICATE.invalid,
        ],
        ["garbage", "Bearer not-a-key", 181, WWW_AUTHENTICATE.invalid],
      ];
      const before = await settledState([p.id]);
      for (const [what, authorization, code, challenge] of cases) {
        const { ex, challenge: answered } = await sendSeeingHeaders(withAuth(op, valid, authorization));
        expect(ex.status, what).toBe(401);
        expectEnvelope(ex, 401, code);
        expect(answered, what).toBe(challenge);
      }
      expect(await changedSince(before, [p.id])).toEqual([]);
      // The request itself was good: only the credentials were wrong.
      expect(ok(await send(withAuth(op, valid, `Bearer ${key}`)))).toBe(true);
    });
  }

  for (const op of v1.filter((op) => !takesPublishableKey(op))) {
    it(`${op.key} refuses a missing, malformed, forged, expired, retired-key, other-environment or revoked token`, async () => {
      const ctx = await entitled();
      const p = ctx.partner;
      const valid = await validRequest(op, ctx);
      const second = await addCredential(p.id);
      const revoked = await tokenFor({ ...p, ...second });
      const list = await call("GET", "/v1/partner/credentials", { token: ctx.token });
      const secondId = list.body.result.data.find(
        (c: { consumer_key: string }) => c.consumer_key === second.consumerKey,
      ).id;
      expect(
        (await call("DELETE", `/v1/partner/credentials/${secondId}`, { token: ctx.token })).res.status,
      ).toBe(200);
      const [h, c, s = ""] = ctx.token.split(".");
      const iat = Math.floor(Date.now() / 1000) - 7200;
      const cases: [string, string | null, number, string][] = [
        ["no token", null, 10, WWW_AUTHENTICATE.missing],
        ["Basic credentials", basic(p.consumerKey, p.consumerSecret), 10, WWW_AUTHENTICATE.missing],
        ["garbage", "Bearer not-a-jwt", 11, WWW_AUTHENTICATE.invalid],
        [
          "a tampered signature",
          `Bearer ${h}.${c}.${s.startsWith("A") ? "B" : "A"}${s.slice(1)}`,
          11,
          WWW_AUTHENTICATE.invalid,
        ],
        [
          "a retired key",
          `Bearer ${await forgeToken(p.id, p.consumerKey, { key: retiredKey() })}`,
          11,
          WWW_AUTHENTICATE.invalid,
        ],
        [
          "an expired token",
          `Bearer ${await forgeToken(p.id, p.consumerKey, { iat, exp: iat + 3600 })}`,
          12,
          WWW_AUTHENTICATE.expired,
        ],
        [
          "a production token",
          `Bearer ${await forgeToken(p.id, p.consumerKey, { claims: { env: "production" } })}`,
          13,
          WWW_AUTHENTICATE.invalid,
        ],
        ["a revoked credential's token", `Bearer ${revoked}`, 11, WWW_AUTHENTICATE.invalid],
      ];
      const before = await settledState([p.id]);
      for (const [what, authorization, code, challenge] of cases) {
        const { ex, challenge: answered } = await sendSeeingHeaders(withAuth(op, valid, authorization));
        expect(ex.status, what).toBe(401);
        expectEnvelope(ex, 401, code);
        expect(answered, what).toBe(challenge);
      }
      expect(await changedSince(before, [p.id])).toEqual([]);
      // The request itself was good: only the tokens were wrong.
      expect(ok(await send(withAuth(op, valid, `Bearer ${ctx.token}`)))).toBe(true);
    });
  }

  it("client authentication fails alike for a wrong secret, an unknown key and a revoked key", async () => {
    const p = await provisionPartner();
    const second = await addCredential(p.id);
    const token = await tokenFor(p);
    const list = await call("GET", "/v1/partner/credentials", { token });
    const id = list.body.result.data.find(
      (c: { consumer_key: string }) => c.consumer_key === second.consumerKey,
    ).id;
    await call("DELETE", `/v1/partner/credentials/${id}`, { token });
    const answers = await Promise.all([
      requestToken({ consumerKey: p.consumerKey, consumerSecret: "cs_test_wrong" }),
      requestToken({ consumerKey: "ck_test_nobody", consumerSecret: p.consumerSecret }),
      requestToken(second),
    ]);
    for (const a of answers) {
      expect(a.res.status).toBe(401);
      expect(a.res.headers.get("WWW-Authenticate")).toBe('Basic realm="portico"');
      expect(a.body).toEqual({ error: "invalid_client", error_description: "Client authentication failed" });
    }
  });

  it("client_credentials issues no refresh token, and an access token is no refresh token", async () => {
    const p = await provisionPartner();
    const issued = await requestToken(p);
    expect(issued.res.status).toBe(200);
    expect(issued.body.refresh_token).toBeUndefined();
    expect(issued.body.expires_in).toBeLessThanOrEqual(3600);
    const refresh = await requestToken(p, {
      grant_type: "refresh_token",
      refresh_token: issued.body.access_token,
    });
    expect(refresh.res.status).toBe(400);
    expect(refresh.body.error).toBe("invalid_grant");
    expect(refresh.body.access_token).toBeUndefined();
  });

  it("the password grant's lockout holds across the partner's consumer keys", async () => {
    const p = await provisionPartner();
    const second = { ...p, ...(await addCredential(p.id)) };
    const guess = (who: typeof p, password: string) =>
      requestToken(who, { grant_type: "password", username: p.username, password });
    for (let i = 0; i < PASSWORD_MAX_FAILURES; i++) await guess(i % 2 === 0 ? p : second, "wrong");
    for (const who of [p, second]) {
      const locked = await guess(who, p.password);
      expect(locked.res.status).toBe(400);
      expect(locked.body.error).toBe("invalid_grant");
      expect(locked.body.error_description).toMatch(/^Too many failed attempts/);
      expect(locked.body.access_token).toBeUndefined();
    }
  });

  it(`the card-attach SMS code allows ${SMS_CODE_MAX_ATTEMPTS} wrong guesses, then not even the right code`, async () => {
    const ctx: FixtureContext = await entitled();
    const { id } = await attachment(ctx);
    const confirm = (code: string) =>
      call("POST", "/v1/cards/attach/confirm", {
        token: ctx.token,
        json: { params: { attachment_id: id, code } },
      });
    const wrong: string = "000000";
    expect(wrong).not.toBe(SANDBOX_SMS_CODE);
    for (let left = SMS_CODE_MAX_ATTEMPTS - 1; left >= 0; left--) {
      const r = await confirm(wrong);
      expect(r.res.status).toBe(422);
      expect(r.body.error).toMatchObject({
        code: 63,
        message: `The SMS code is wrong; ${left} attempts left`,
      });
    }
    for (const code of [wrong, SANDBOX_SMS_CODE]) {
      const r = await confirm(code);
      expect(r.res.status).toBe(409);
      expect(r.body.result).toBeNull();
      expect(r.body.error.code).toBe(64);
    }
    const stored = await env.DB.prepare("SELECT status, attempts FROM card_attachments WHERE id = ?")
      .bind(id)
      .first<{ status: string; attempts: number }>();
    expect(stored).toEqual({ status: "exhausted", attempts: SMS_CODE_MAX_ATTEMPTS });
    const cards = await env.DB.prepare("SELECT COUNT(*) AS n FROM cards WHERE partner_id = ?")
      .bind(ctx.partner.id)
      .first<{ n: number }>();
    expect(cards?.n).toBe(0);
  });
});
