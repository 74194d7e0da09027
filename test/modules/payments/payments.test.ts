import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, tokenFor } from "../../support/http";
import { drain, paymentObject } from "../../support/objects";
import { provisionPartner, type TestPartner } from "../../support/partners";
import { securitySuite } from "../../support/security-suite";

const create = (token: string, params: Record<string, unknown>, key: string = crypto.randomUUID()) =>
  call("POST", "/v1/payments", {
    token,
    json: { id: crypto.randomUUID(), params },
    headers: { "Idempotency-Key": key },
  });

const visa = { amount: 150_000, currency: "UZS", payment_method_token: "pm_card_visa" };

securitySuite({
  method: "POST",
  path: "/v1/payments",
  product: "payments",
  scope: "payments:write",
  json: { params: visa },
});
securitySuite({
  method: "GET",
  path: "/v1/payments/{id}",
  product: "payments",
  scope: "payments:read",
  createOwned: async (_owner: TestPartner, token: string) => (await create(token, visa)).body.result.id,
});

const rows = async (sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all()
  ).results;

describe("POST /v1/payments", () => {
  it("approves and captures a card payment, then posts it to the ledger net of the fee", async () => {
    const p = await provisionPartner({ feeBps: 150 });
    const token = await tokenFor(p);
    const key = crypto.randomUUID();
    const { res, body } = await create(token, { ...visa, metadata: { order: "A-1" } }, key);
    expect(res.status).toBe(200);
    expect(body.error).toBeNull();
    expect(body.result).toMatchObject({
      object: "payment",
      amount: 150_000,
      currency: "UZS",
      status: "captured",
      capture: true,
      amount_captured: 150_000,
      amount_capturable: 0,
      amount_refunded: 0,
      payment_method: { type: "card", card: { brand: "visa", first6: "424242", last4: "4242" } },
      next_action: null,
      failure: null,
      provider: "sandbox",
      metadata: { order: "A-1" },
      livemode: false,
    });
    expect(body.result.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(body.result.provider_reference).toMatch(/^sbx_/);

    const got = await call("GET", `/v1/payments/${body.result.id}`, { token });
    expect(got.body.result).toEqual(body.result);

    await drain(paymentObject(p.id, key));
    const balance = await call("GET", "/v1/balance", { token });
    expect(balance.body.result.available).toEqual([{ currency: "UZS", amount: 147_750 }]); // 1.5 % fee
    const entries = await call("GET", `/v1/ledger/entries?reference=${body.result.id}`, { token });
    expect(entries.body.result.data).toMatchObject([{ kind: "capture", amount: 150_000 }]);
    const events = await rows("SELECT type FROM events WHERE partner_id = ?", p.id);
    expect(events).toEqual([{ type: "payment.captured" }]);
  });

  it("authorizes only when capture is false, posting nothing yet", async () => {
    const p = await provisionPartner();
    const key = crypto.randomUUID();
    const { body } = await create(await tokenFor(p), { ...visa, capture: false }, key);
    expect(body.result).toMatchObject({
      status: "authorized",
      amount_capturable: 150_000,
      amount_captured: 0,
    });
    await drain(paymentObject(p.id, key));
    expect(await rows("SELECT id FROM journal_entries WHERE reference = ?", body.result.id)).toEqual([]);
    expect(await rows("SELECT type FROM events WHERE partner_id = ?", p.id)).toEqual([
      { type: "payment.authorized" },
    ]);
  });

  it.each([
    ["pm_card_insufficient_funds", "insufficient_funds", false],
    ["pm_card_stolen", "stolen_card", false],
    ["pm_card_bank_unavailable", "bank_unavailable", true],
  ])(
    "a decline (%s) is an outcome: HTTP 200, status failed, payment.failed",
    async (token, reason, retryable) => {
      const p = await provisionPartner();
      const key = crypto.randomUUID();
      const { res, body } = await create(await tokenFor(p), { ...visa, payment_method_token: token }, key);
      expect(res.status).toBe(200);
      expect(body.result).toMatchObject({
        status: "failed",
        failure: { code: "card_declined", reason, retryable },
      });
      await drain(paymentObject(p.id, key));
      expect(await rows("SELECT type FROM events WHERE partner_id = ?", p.id)).toEqual([
        { type: "payment.failed" },
      ]);
      expect(await rows("SELECT id FROM journal_entries WHERE reference = ?", body.result.id)).toEqual([]);
    },
  );

  it("asks for 3-D Secure, and leaves A2A and QR pending with their next action", async () => {
    const token = await tokenFor(await provisionPartner());
    const threeDs = await create(token, { ...visa, payment_method_token: "pm_card_3ds" });
    expect(threeDs.body.result).toMatchObject({
      status: "requires_action",
      next_action: { type: "redirect" },
    });
    const a2a = await create(token, { ...visa, payment_method_token: "pm_bank_redirect" });
    expect(a2a.body.result).toMatchObject({
      status: "pending",
      payment_method: { type: "bank_redirect", card: null },
    });
    const qr = await create(token, { ...visa, payment_method_token: "pm_qr" });
    expect(qr.body.result).toMatchObject({ status: "pending", next_action: { type: "qr_code" } });
    expect(Date.parse(qr.body.result.next_action.expires_at)).toBeGreaterThan(Date.now());
  });

  it("refuses bad input with the envelope and creates nothing", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...visa, amount: 0 }, 4, "params.amount"],
      [{ ...visa, amount: -5 }, 4, "params.amount"],
      [{ ...visa, amount: 1.5 }, 3, "params.amount"], // not an integer: cannot be parsed as minor units
      [{ ...visa, amount: "100" }, 3, "params.amount"],
      [{ ...visa, amount: 10 ** 15 }, 4, "params.amount"],
      [{ ...visa, currency: "XYZ" }, 4, "params.currency"],
      [{ ...visa, currency: "usd" }, 4, "params.currency"],
      [{ amount: 100, currency: "UZS" }, 4, "params.payment_method_token"],
      [{ ...visa, capture: "yes" }, 3, "params.capture"],
      [{ ...visa, payment_method_token: "pm_card_amex" }, 4, "params.payment_method_token"],
      [{ ...visa, payment_method_token: "4111111111111111" }, 4, "params.payment_method_token"],
    ];
    for (const [params, code, field] of cases) {
      const r = await create(token, params);
      expect([r.res.status, r.body.error?.code, r.body.error?.field]).toEqual([400, code, field]);
      expect(r.body.result).toBeNull();
      expect(JSON.stringify(r.body)).not.toContain("4111111111111111");
    }
    expect(await rows("SELECT id FROM payments WHERE partner_id = ?", p.id)).toEqual([]);
  });

  it("50 concurrent identical creates under one key make one payment and one set of postings", async () => {
    const p = await provisionPartner({ feeBps: 100 });
    const token = await tokenFor(p);
    const key = crypto.randomUUID();
    const results = await Promise.all(Array.from({ length: 50 }, () => create(token, visa, key)));
    const ok = results.filter((r) => r.res.status === 200);
    expect(results.every((r) => r.res.status === 200 || r.res.status === 409)).toBe(true);
    expect(new Set(ok.map((r) => r.body.result.id)).size).toBe(1);
    const retry = await create(token, visa, key);
    expect(retry.res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(retry.body.result.id).toBe(ok[0]?.body.result.id);
    await drain(paymentObject(p.id, key));
    expect(await rows("SELECT id FROM payments WHERE partner_id = ?", p.id)).toHaveLength(1);
    const postings = await rows(
      "SELECT p.id FROM postings p JOIN journal_entries e ON e.id = p.entry_id WHERE e.partner_id = ?",
      p.id,
    );
    expect(postings).toHaveLength(3);
    const balance = await call("GET", "/v1/balance", { token });
    expect(balance.body.result.available).toEqual([{ currency: "UZS", amount: 148_500 }]);
  });

  it("many keys × concurrent retries: exactly one payment per key", async () => {
    const p = await provisionPartner();
    const token = await tokenFor(p);
    const keys = Array.from({ length: 6 }, () => crypto.randomUUID());
    await Promise.all(keys.flatMap((key) => Array.from({ length: 5 }, () => create(token, visa, key))));
    expect(await rows("SELECT id FROM payments WHERE partner_id = ?", p.id)).toHaveLength(keys.length);
  });
});
