import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { paymentName } from "../../support/objects";
import { consent, customerOf, partnerWithKey, pay, tokenOf } from "./helpers";

describe("paying with a vault token", () => {
  it("maps each test card to its sandbox outcome and shows the card's own first 6 / last 4", async () => {
    const { token, pk } = await partnerWithKey();
    const cases = [
      ["4242424242424242", "captured", "visa", "424242", "4242", null],
      ["5555555555554444", "captured", "mastercard", "555555", "4444", null],
      ["4000000000003220", "requires_action", "visa", "400000", "3220", null],
      ["4000000000009995", "failed", "visa", "400000", "9995", "insufficient_funds"],
      ["4000000000000002", "failed", "visa", "400000", "0002", "do_not_honor"],
      ["4000002500000003", "captured", "visa", "400000", "0003", null],
    ] as const;
    for (const [number, status, brand, first6, last4, reason] of cases) {
      const r = await pay(token, { payment_method_token: await tokenOf(pk, number) });
      expect(r.res.status).toBe(200);
      expect(r.body.result).toMatchObject({
        status,
        payment_method: { type: "card", card: { brand, first6, last4 } },
        customer: null,
      });
      expect(r.body.result.failure?.reason ?? null).toBe(reason);
    }
  });

  it("is single use: a second payment is refused with 185; a retry of the same request answers the same payment", async () => {
    const { p, token, pk } = await partnerWithKey();
    const pm = await tokenOf(pk);
    const key = crypto.randomUUID();
    const first = await pay(token, { payment_method_token: pm }, key);
    expect(first.body.result.status).toBe("captured");
    const row = await env.DB.prepare("SELECT consumed_by FROM payment_method_tokens WHERE id = ?")
      .bind(pm)
      .first();
    expect(row).toEqual({ consumed_by: paymentName(p.id, key) });
    const retry = await pay(token, { payment_method_token: pm }, key);
    expect(retry.body.result.id).toBe(first.body.result.id);
    const other = await pay(token, { payment_method_token: pm });
    expect(other.res.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 185, field: "params.payment_method_token" });
  });

  it("a retry after a crash that consumed the token but made no payment still pays", async () => {
    const { p, token, pk } = await partnerWithKey();
    const pm = await tokenOf(pk);
    const key = crypto.randomUUID();
    // As a crash right after the conditional UPDATE leaves it: consumed by this request's object, no payment.
    await env.DB.prepare("UPDATE payment_method_tokens SET consumed_by = ?, consumed_at = ? WHERE id = ?")
      .bind(paymentName(p.id, key), "2026-12-01T00:00:00.000Z", pm)
      .run();
    const r = await pay(token, { payment_method_token: pm }, key);
    expect(r.res.status).toBe(200);
    expect(r.body.result.status).toBe("captured");
  });

  it("concurrent payments with one token: exactly one gets it", async () => {
    const { token, pk } = await partnerWithKey();
    const pm = await tokenOf(pk);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => pay(token, { payment_method_token: pm })),
    );
    const paid = answers.filter((a) => a.res.status === 200);
    expect(paid).toHaveLength(1);
    expect(answers.filter((a) => a.body.error?.code === 185)).toHaveLength(4);
  });

  it("refuses an expired token with 186, another partner's token as unknown (4)", async () => {
    const { token, pk } = await partnerWithKey();
    const pm = await tokenOf(pk);
    await env.DB.prepare("UPDATE payment_method_tokens SET expires_at = ? WHERE id = ?")
      .bind("2020-01-01T00:00:00.000Z", pm)
      .run();
    const expired = await pay(token, { payment_method_token: pm });
    expect(expired.res.status).toBe(400);
    expect(expired.body.error.code).toBe(186);
    const other = await partnerWithKey();
    const foreign = await pay(token, { payment_method_token: await tokenOf(other.pk) });
    expect(foreign.body.error).toMatchObject({ code: 4, field: "params.payment_method_token" });
  });
});

describe("customers and saved cards", () => {
  it("create, get, list, update and delete; another partner's customer is unknown (404, 30)", async () => {
    const { token } = await partnerWithKey({ dataAccess: ["name", "email"] });
    const made = await call("POST", "/v1/customers", {
      token,
      json: { params: { name: "Aziza K", email: "aziza@example.com", metadata: { ref: "u-1" } } },
    });
    expect(made.body.result).toMatchObject({
      object: "customer",
      name: "Aziza K",
      email: "aziza@example.com",
      metadata: { ref: "u-1" },
    });
    const id = made.body.result.id;
    expect(id).toMatch(/^cus_[0-9a-f]{32}$/);
    expect((await call("GET", `/v1/customers/${id}`, { token })).body.result.id).toBe(id);
    // Without `email` in the contract's data access, answers mask it (data minimisation).
    const masked = await partnerWithKey({ dataAccess: [] });
    const hidden = await call("POST", "/v1/customers", {
      token: masked.token,
      json: { params: { email: "a@example.com" } },
    });
    expect(hidden.body.result.email).not.toBe("a@example.com");
    const second = await customerOf(token);
    const page = await call("GET", "/v1/customers?limit=1", { token });
    expect(page.body.result).toMatchObject({ has_more: true, data: [{ id: second }] });
    const next = await call("GET", `/v1/customers?limit=1&starting_after=${second}`, { token });
    expect(next.body.result).toMatchObject({ has_more: false, data: [{ id }] });
    const updated = await call("PATCH", `/v1/customers/${id}`, { token, json: { params: { email: null } } });
    expect(updated.body.result).toMatchObject({ name: "Aziza K", email: null });
    const intruder = await partnerWithKey();
    const foreign = await call("GET", `/v1/customers/${id}`, { token: intruder.token });
    expect(foreign.res.status).toBe(404);
    expect(foreign.body.error.code).toBe(30);
    expect((await call("DELETE", `/v1/customers/${id}`, { token: intruder.token })).res.status).toBe(404);
    const deleted = await call("DELETE", `/v1/customers/${id}`, { token });
    expect(deleted.body.result).toEqual({ id, object: "customer", deleted: true });
    expect((await call("GET", `/v1/customers/${id}`, { token })).res.status).toBe(404);
    const row = await env.DB.prepare("SELECT count(*) AS n FROM customers WHERE id = ?").bind(id).first();
    expect(row).toEqual({ n: 0 });
    const events = await env.DB.prepare("SELECT type, data FROM events WHERE data LIKE ? ORDER BY type")
      .bind(`%${id}%`)
      .all();
    expect(events.results.map((e) => e.type)).toEqual(["customer.created", "customer.deleted"]);
    expect(JSON.stringify(events.results)).not.toContain("aziza");
  });

  it("attach (with consent), list, pay with the saved card again and again, detach", async () => {
    const { p, token, pk } = await partnerWithKey();
    const cus = await customerOf(token);
    const pm = await tokenOf(pk, "5555555555554444");
    const attach = () =>
      call("POST", `/v1/customers/${cus}/payment_methods`, {
        token,
        json: { params: { payment_method_token: pm, consent } },
      });
    const saved = await attach();
    expect(saved.res.status).toBe(200);
    expect(saved.body.result).toMatchObject({
      object: "payment_method",
      customer: cus,
      card: { brand: "mastercard", first6: "555555", last4: "4444", exp_month: 12, exp_year: 2099 },
      consent,
    });
    const spm = saved.body.result.id;
    expect(spm).toMatch(/^spm_/);
    // Attaching the same token to the same customer again answers the same card.
    expect((await attach()).body.result.id).toBe(spm);
    // The token is used up: it pays nothing, nor goes to another customer.
    expect((await pay(token, { payment_method_token: pm })).body.error.code).toBe(185);
    const other = await customerOf(token);
    const elsewhere = await call("POST", `/v1/customers/${other}/payment_methods`, {
      token,
      json: { params: { payment_method_token: pm, consent } },
    });
    expect(elsewhere.body.error.code).toBe(185);
    const listed = await call("GET", `/v1/customers/${cus}/payment_methods`, { token });
    expect(listed.body.result.data.map((m: { id: string }) => m.id)).toEqual([spm]);
    for (let i = 0; i < 2; i++) {
      const r = await pay(token, { customer: cus, payment_method_token: spm });
      expect(r.body.result).toMatchObject({
        status: "captured",
        customer: cus,
        payment_method: { card: { last4: "4444" } },
      });
    }
    // A saved card pays only with its own customer.
    expect((await pay(token, { customer: other, payment_method_token: spm })).body.error.code).toBe(4);
    expect((await pay(token, { payment_method_token: spm })).body.error.code).toBe(4);
    const unknownCustomer = await pay(token, {
      customer: `cus_${"0".repeat(32)}`,
      payment_method_token: "pm_card_visa",
    });
    expect(unknownCustomer.body.error.code).toBe(30);
    const intruder = await partnerWithKey();
    expect(
      (await call("GET", `/v1/customers/${cus}/payment_methods`, { token: intruder.token })).res.status,
    ).toBe(404);
    expect(
      (await call("DELETE", `/v1/customers/${cus}/payment_methods/${spm}`, { token: intruder.token })).res
        .status,
    ).toBe(404);
    const detached = await call("DELETE", `/v1/customers/${cus}/payment_methods/${spm}`, { token });
    expect(detached.body.result.id).toBe(spm);
    expect((await pay(token, { customer: cus, payment_method_token: spm })).body.error.code).toBe(4);
    expect((await call("DELETE", `/v1/customers/${cus}/payment_methods/${spm}`, { token })).res.status).toBe(
      404,
    );
    const events = await env.DB.prepare(
      "SELECT type FROM events WHERE partner_id = ? AND type LIKE 'payment_method.%' ORDER BY type",
    )
      .bind(p.id)
      .all();
    expect(
      events.results.map((e) => e.type),
      JSON.stringify(events.results),
    ).toEqual(["payment_method.attached", "payment_method.detached"]);
  });

  it("refuses an attach without consent or with a sandbox token", async () => {
    const { token } = await partnerWithKey();
    const cus = await customerOf(token);
    const none = await call("POST", `/v1/customers/${cus}/payment_methods`, {
      token,
      json: { params: { payment_method_token: "pm_x" } },
    });
    expect(none.body.error).toMatchObject({ code: 4, field: "params.consent" });
    const fixed = await call("POST", `/v1/customers/${cus}/payment_methods`, {
      token,
      json: { params: { payment_method_token: "pm_card_visa", consent } },
    });
    expect(fixed.body.error).toMatchObject({ code: 4, field: "params.payment_method_token" });
  });
});
