import { describe, expect, it } from "vitest";
import { call, tokenFor } from "../../support/http";
import { provisionPartner } from "../../support/partners";

// The README's demo, step 8, as curl sends it: the key issued with no body at all, the card
// tokenized with the publishable key, the payment made with the token.
describe("README demo: a card collected with a publishable key", () => {
  it("issues a key without a body, tokenizes a test card and pays with the token", async () => {
    const token = await tokenFor(await provisionPartner());
    const made = await call("POST", "/v1/partner/publishable_keys", { token });
    expect(made.res.status).toBe(201);
    const pk = made.body.result.key as string;
    expect(pk).toMatch(/^pk_test_/);

    const tokenized = await call("POST", "/v1/tokens", {
      token: pk,
      json: { params: { card: { number: "4242424242424242", exp_month: 12, exp_year: 2034, cvc: "123" } } },
    });
    expect(tokenized.res.status).toBe(200);
    const pm = tokenized.body.result.id as string;
    expect(pm).toMatch(/^pm_/);
    expect(JSON.stringify(tokenized.body)).not.toContain("4242424242424242");

    const paid = await call("POST", "/v1/payments", {
      token,
      json: { params: { amount: 5000, currency: "UZS", payment_method_token: pm } },
    });
    expect(paid.res.status).toBe(200);
    expect(paid.body.result).toMatchObject({
      status: "captured",
      payment_method: { type: "card", card: { brand: "visa", first6: "424242", last4: "4242" } },
      risk: { decision: "pass" },
      attempts: [{ provider: "sandbox", outcome: "authorized" }],
    });
  });
});
