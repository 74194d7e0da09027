import { call, tokenFor } from "../../support/http";
import { provisionPartner, type TestPartner } from "../../support/partners";

export const SHOP = "https://shop.example";

/** A partner with a publishable key (and a listed browser origin for the card form). */
export async function partnerWithKey(overrides: Parameters<typeof provisionPartner>[0] = {}) {
  const p = await provisionPartner({ corsOrigins: [SHOP], ...overrides });
  const token = await tokenFor(p);
  const made = await call("POST", "/v1/partner/publishable_keys", { token, json: { params: {} } });
  if (made.res.status !== 201) throw new Error(`publishable key: ${JSON.stringify(made.body)}`);
  return { p, token, pk: made.body.result.key as string };
}

export const card = (number: string, more: Record<string, unknown> = {}) => ({
  params: { card: { number, exp_month: 12, exp_year: 2099, cvc: "123", ...more } },
});

export const tokenize = (pk: string, number: string, more: Record<string, unknown> = {}) =>
  call("POST", "/v1/tokens", { token: pk, json: card(number, more) });

export async function tokenOf(pk: string, number = "4242424242424242"): Promise<string> {
  const r = await tokenize(pk, number);
  if (r.res.status !== 200) throw new Error(`tokenize: ${JSON.stringify(r.body)}`);
  return r.body.result.id;
}

export const pay = (token: string, params: Record<string, unknown>, key: string = crypto.randomUUID()) =>
  call("POST", "/v1/payments", {
    token,
    json: { params: { amount: 150_000, currency: "UZS", ...params } },
    headers: { "Idempotency-Key": key },
  });

export async function customerOf(token: string, params: Record<string, unknown> = {}): Promise<string> {
  const r = await call("POST", "/v1/customers", { token, json: { params } });
  if (r.res.status !== 200) throw new Error(`customer: ${JSON.stringify(r.body)}`);
  return r.body.result.id;
}

export const consent = { accepted_at: "2026-12-01T10:00:00.000Z", reference: "checkout-terms-v3" };

export type { TestPartner };
