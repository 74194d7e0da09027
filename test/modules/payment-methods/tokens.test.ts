import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { suspendPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";
import { card, partnerWithKey, tokenize } from "./helpers";

securitySuite({
  method: "GET",
  path: "/v1/partner/publishable_keys",
  product: null,
  scope: "partner:read",
});
securitySuite({
  method: "POST",
  path: "/v1/partner/publishable_keys",
  product: null,
  scope: "partner:write",
  json: { params: {} },
  okStatus: 201,
});

describe("publishable keys", () => {
  it("are created and rotated with overlap; the previous key works until its end", async () => {
    const { p, token, pk } = await partnerWithKey();
    expect(pk).toMatch(/^pk_test_[A-Za-z0-9_-]{24}$/);
    const rotated = await call("POST", "/v1/partner/publishable_keys", {
      token,
      json: { params: { overlap_seconds: 0 } },
    });
    expect(rotated.res.status).toBe(201);
    const next = rotated.body.result.key;
    expect(next).not.toBe(pk);
    const listed = await call("GET", "/v1/partner/publishable_keys", { token });
    expect(listed.body.result.data.map((k: { key: string; status: string }) => [k.key, k.status])).toEqual([
      [next, "active"],
      [pk, "expired"],
    ]);
    expect((await tokenize(pk, "4242424242424242")).body.error.code).toBe(11);
    expect((await tokenize(next, "4242424242424242")).res.status).toBe(200);
    const row = await env.DB.prepare("SELECT partner_id FROM publishable_keys WHERE key = ?")
      .bind(next)
      .first();
    expect(row).toEqual({ partner_id: p.id });
  });

  it("can do one thing only: every other /v1 route refuses it with 180, and the token route refuses access tokens with 181", async () => {
    const { token, pk } = await partnerWithKey();
    for (const [method, path] of [
      ["GET", "/v1/partner"],
      ["POST", "/v1/payments"],
      ["GET", "/v1/customers"],
      ["POST", "/v1/partner/publishable_keys"],
    ] as const) {
      const r = await call(method, path, {
        token: pk,
        ...(method === "POST" ? { json: { params: {} } } : {}),
      });
      expect(r.res.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: 180, reason: "publishable_key_not_allowed" });
    }
    const withJwt = await call("POST", "/v1/tokens", { token, json: card("4242424242424242") });
    expect(withJwt.res.status).toBe(401);
    expect(withJwt.body.error.code).toBe(181);
  });

  it("refuses an unknown key, the other environment's key, a suspended partner and an unlicensed product", async () => {
    expect((await tokenize("pk_test_nothing", "4242424242424242")).body.error.code).toBe(11);
    expect((await tokenize("pk_live_nothing", "4242424242424242")).body.error.code).toBe(13);
    const suspended = await partnerWithKey();
    await suspendPartner(suspended.p.id);
    const { profileCache } = await import("../../../src/modules/partners/profile");
    profileCache.invalidate(suspended.p.id);
    expect((await tokenize(suspended.pk, "4242424242424242")).body.error.code).toBe(14);
    const unlicensed = await partnerWithKey({ products: ["accounts"] });
    const r = await tokenize(unlicensed.pk, "4242424242424242");
    expect(r.res.status).toBe(403);
    expect(r.body.error.code).toBe(21);
  });
});

describe("POST /v1/tokens", () => {
  it("answers a single-use token with the card's brand, first 6 / last 4, country and fingerprint", async () => {
    const { p, pk } = await partnerWithKey();
    const r = await tokenize(pk, "4000 0007 6000 0002", { exp_month: 3, exp_year: 2031 });
    expect(r.res.status).toBe(200);
    expect(r.body.result).toMatchObject({
      object: "token",
      card: { brand: "visa", first6: "400000", last4: "0002", country: "BR", exp_month: 3, exp_year: 2031 },
      used: false,
      livemode: false,
    });
    expect(r.body.result.id).toMatch(/^pm_/);
    expect(Date.parse(r.body.result.expires_at) - Date.parse(r.body.result.created_at)).toBe(15 * 60 * 1000);
    const row = await env.DB.prepare("SELECT * FROM payment_method_tokens WHERE id = ?")
      .bind(r.body.result.id)
      .first();
    expect(row).toMatchObject({ partner_id: p.id, first6: "400000", last4: "0002", consumed_by: null });
    // The same card, the same fingerprint; another card, another.
    const again = await tokenize(pk, "4000000760000002");
    expect(again.body.result.card.fingerprint).toBe(r.body.result.card.fingerprint);
    const other = await tokenize(pk, "4000002500000003");
    expect(other.body.result.card).toMatchObject({ country: "FR" });
    expect(other.body.result.card.fingerprint).not.toBe(r.body.result.card.fingerprint);
    // Another partner's token of the same card has the same fingerprint (per environment, not per partner).
    const elsewhere = await partnerWithKey();
    expect((await tokenize(elsewhere.pk, "4000000760000002")).body.result.card.fingerprint).toBe(
      r.body.result.card.fingerprint,
    );
  });

  it("refuses a bad check digit (182), an expired card (183), an unknown test number (184) and a bad CVC (4), never repeating the number", async () => {
    const { pk } = await partnerWithKey();
    const luhn = await tokenize(pk, "4242424242424241");
    expect(luhn.res.status).toBe(400);
    expect(luhn.body.error).toMatchObject({ code: 182, field: "params.card.number" });
    const short = await tokenize(pk, "4242abcd42424242");
    expect(short.body.error.code).toBe(182);
    const expired = await tokenize(pk, "4242424242424242", { exp_month: 1, exp_year: 2020 });
    expect(expired.body.error).toMatchObject({ code: 183, field: "params.card.exp_year" });
    const unknown = await tokenize(pk, "4111111111111111");
    expect(unknown.body.error).toMatchObject({ code: 184, field: "params.card.number" });
    const cvc = await tokenize(pk, "4242424242424242", { cvc: "12" });
    expect(cvc.body.error).toMatchObject({ code: 4, field: "params.card.cvc" });
    const month = await tokenize(pk, "4242424242424242", { exp_month: 13 });
    expect(month.body.error).toMatchObject({ code: 4, field: "params.card.exp_month" });
    const missing = await call("POST", "/v1/tokens", { token: pk, json: { params: {} } });
    expect(missing.body.error).toMatchObject({ code: 4 });
    for (const r of [luhn, short, expired, unknown, cvc, month]) {
      const text = JSON.stringify(r.body);
      for (const n of ["4242424242424241", "4242424242424242", "4111111111111111", "424242424242"])
        expect(text).not.toContain(n);
    }
    const rows = await env.DB.prepare(
      "SELECT count(*) AS n FROM payment_method_tokens WHERE partner_id IN (SELECT partner_id FROM publishable_keys WHERE key = ?)",
    )
      .bind(pk)
      .first();
    expect(rows).toEqual({ n: 0 });
  });

  it("needs an Idempotency-Key, and a retry with the same key answers the same token", async () => {
    const { pk } = await partnerWithKey();
    const none = await call("POST", "/v1/tokens", {
      token: pk,
      json: card("4242424242424242"),
      headers: { "Idempotency-Key": "" },
    });
    expect(none.body.error.code).toBe(50);
    const key = crypto.randomUUID();
    const first = await call("POST", "/v1/tokens", {
      token: pk,
      json: card("4242424242424242"),
      headers: { "Idempotency-Key": key },
    });
    const second = await call("POST", "/v1/tokens", {
      token: pk,
      json: card("4242424242424242"),
      headers: { "Idempotency-Key": key },
    });
    expect(second.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(second.body.result.id).toBe(first.body.result.id);
  });

  it("takes POST only", async () => {
    const { pk } = await partnerWithKey();
    const r = await call("GET", "/v1/tokens", { token: pk });
    expect(r.res.status).toBe(405);
    expect(r.body.error.code).toBe(5);
  });
});
